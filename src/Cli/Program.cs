using Planner.Cli;
using Planner.Files;

PrivateFiles.ApplyMask(); // every file the CLI writes is owner-only (see PrivateFiles)
return await CliApp.RunAsync(args, Console.Out, Console.Error);
