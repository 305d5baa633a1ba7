using System.Collections.Concurrent;
using Planner.Engine.Data;
using Planner.Engine.Tokenization;

namespace Planner.Hosting.Training;

/// <summary>GPT-2 token counts of files as training would read them, remembered per file version (path, size, time).</summary>
public static class TokenCounts
{
    private static readonly ConcurrentDictionary<(string, long, DateTime, string), long> Cache = new();

    public static long Of(string file, string csvTextColumn = "text")
    {
        var info = new FileInfo(file);
        if (!info.Exists) return 0;
        return Cache.GetOrAdd((info.FullName, info.Length, info.LastWriteTimeUtc, csvTextColumn), _ =>
        {
            try
            {
                return TrainingCorpus.Load(file, csvTextColumn).Documents.Sum(d => (long)Gpt2Tokenizer.Instance.Encode(d.Text).Length + 1);
            }
            catch (CorpusException)
            {
                return 0;
            }
        });
    }

    public static long OfFolder(string folder, string csvTextColumn = "text") =>
        Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => Of(f, csvTextColumn)) : 0;
}
