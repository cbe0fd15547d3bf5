#include "main/commands.h"

int main(int argc, char** argv) { return vouch::main::RunCli(argc, argv); }
