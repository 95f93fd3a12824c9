// Placeholder; replaced by the command table.
