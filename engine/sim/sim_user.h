// The sim model playing a user (asked by the engine's user simulator: a system message whose first line is
// "llmeval-user-simulator", with "Persona:" and "Goal:" lines). Deterministic and pure, like the rest of the sim:
//  * Its first message asks for help with the goal ("Can you help me <goal>?").
//  * Then it asks follow-up questions about a key word of the assistant's last answer ("Can you give me an example
//    of <word>?", "How does <word> relate to <goal word>?", ...), so the sim model answers each one on topic.
//  * It needs 2 to 4 messages (a hash of the goal decides: `SimUserTurnsToGoal`); after that it answers
//    GOAL_ACHIEVED when its instructions mention that marker, else the stop phrase its instructions give
//    (`say "bye"`), else it keeps asking.
// Thread-safe.
#ifndef LLMEVAL_ENGINE_SIM_SIM_USER_H_
#define LLMEVAL_ENGINE_SIM_SIM_USER_H_

#include <string>
#include <string_view>

#include "core/chat.h"

namespace llmeval {

bool IsUserSimulatorRequest(const ChatRequest& request);

// The simulated user's next message for `request` (roles as the simulator sees them: its own earlier messages are
// "assistant", the assistant's answers "user").
std::string SimulateUserReply(const ChatRequest& request);

// How many messages the sim user sends before its goal is reached.
int SimUserTurnsToGoal(std::string_view goal);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_SIM_SIM_USER_H_
