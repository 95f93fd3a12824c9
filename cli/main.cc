#include <cstdio>
int main() { std::puts("llmeval"); return 0; }
