using Planner.Cli;
using Planner.Engine.Native;
using Planner.Files;

// Huge pages for training's memory: glibc asks for them only when told at the process's start (HugePages).
if (args.Any(a => a is "train" or "train-classifier")) _ = HugePages.StartAskingForThem();
PrivateFiles.ApplyMask(); // every file the CLI writes is owner-only (see PrivateFiles)
return await CliApp.RunAsync(args, Console.Out, Console.Error);
