using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Planner.Engine.Training;
using Planner.Llm;

namespace Planner.Hosting.Hub;

/// <summary>Downloads one model file (.gguf or .safetensors) from the hub into the models folder, as a founder expects
/// of a download manager: refused before it starts when the disk lacks room; progress with speed and time left;
/// cancel at any time; resumed with an HTTP Range request after a cancel, a dropped connection or a killed process
/// (the partial file, named by the content's SHA-256, waits in the models folder's <c>.downloads</c>); the bytes
/// checked against the SHA-256 the hub publishes and the file checked by the project's own GGUF or safetensors
/// reader, and only then renamed into place (<c>models/owner/name/path</c>), so the models folder never holds
/// half a file, a corrupted one or one that is not a model.</summary>
public sealed class ModelDownloader(HubClient hub, string modelsDirectory, Func<string, long>? freeSpace = null)
{
    public const string PartialFolderName = ".downloads";

    /// <summary>Room kept free beyond the file itself (the database, logs and checkpoints need some too).</summary>
    public const long SpareBytes = 64L << 20;

    private static readonly string[] ModelExtensions = [".gguf", ".safetensors"];

    /// <summary>Attempts in a row that bring no new byte before the download gives up (and keeps what it has).</summary>
    public int Attempts { get; init; } = 5;

    /// <summary>The wait before the next attempt, times the number of failed attempts in a row.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A connection that brings no byte for this long is taken as dropped.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public string PartialFolder => Path.Combine(Path.GetFullPath(modelsDirectory), PartialFolderName);

    /// <summary>Where a repository's file lands in the models folder.</summary>
    public string DestinationOf(string repository, string path) => HubNames.Destination(modelsDirectory, repository, path);

    public async Task<DownloadResult> DownloadAsync(string repository, string path, string? revision, IProgress<DownloadProgress>? progress = null, CancellationToken ct = default)
    {
        var destination = DestinationOf(repository, path);
        var extension = Path.GetExtension(destination).ToLowerInvariant();
        if (!ModelExtensions.Contains(extension))
            throw new HubException(HubProblem.InvalidName, $"Only model files (.gguf, .safetensors) are downloaded into the models folder; '{Path.GetFileName(destination)}' is neither.");
        var info = await hub.GetFileInfoAsync(repository, path, revision, ct);
        var sha = info.Sha256 ?? throw new HubException(HubProblem.NoChecksum,
            $"The hub publishes no SHA-256 for {info.Path} in {repository}, so the download could not be verified; nothing was downloaded.");
        if (File.Exists(destination))
        {
            var present = new FileInfo(destination).Length;
            if (present == info.Size) return new DownloadResult(destination, sha, info.Size, AlreadyPresent: true, BytesFetched: 0);
            throw new HubException(HubProblem.Busy, $"{destination} already exists and is not this file ({present} bytes, the hub's has {info.Size}); remove it first.");
        }

        Directory.CreateDirectory(PartialFolder);
        var partial = Path.Combine(PartialFolder, $"{sha}.part");
        var ours = true; // false when another download holds the partial file: it is theirs to clean
        try
        {
            var fetched = await CompleteAsync(partial, info, sha, progress, ct);
            CheckModel(partial, extension, info);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Move(partial, destination, overwrite: false);
            return new DownloadResult(destination, sha, info.Size, AlreadyPresent: false, fetched);
        }
        catch (HubException e) when (e.Problem == HubProblem.Busy)
        {
            ours = false;
            throw;
        }
        finally
        {
            // Bytes found wrong are cut to nothing: no empty file is left; a partial one waits to be resumed.
            if (ours && File.Exists(partial) && new FileInfo(partial).Length == 0) File.Delete(partial);
        }
    }

    /// <summary>The partial file brought to the file's full size and checked against its SHA-256; returns the bytes
    /// this call fetched.</summary>
    private async Task<long> CompleteAsync(string partial, HubFileInfo info, string sha, IProgress<DownloadProgress>? progress, CancellationToken ct)
    {
        await using (var file = OpenPartial(partial, info.Repository, info.Path))
        {
            var have = file.Length > info.Size ? 0 : file.Length;
            file.SetLength(have);
            CheckSpace(info.Size - have, info);
            var digest = await HashExistingAsync(file, have, ct);
            try
            {
                var fetched = await FetchAsync(file, info, digest, progress, ct);
                await file.FlushAsync(ct);
                file.Flush(flushToDisk: true);
                var actual = Convert.ToHexStringLower(digest.Hash.GetHashAndReset());
                if (file.Length != info.Size || actual != sha)
                {
                    file.SetLength(0); // the bytes are wrong, not merely incomplete: nothing is kept to resume from
                    throw new HubException(HubProblem.ChecksumMismatch,
                        $"{info.Path} from {info.Repository} does not match the SHA-256 the hub publishes (got {actual[..12]}…, expected {sha[..12]}…); it was discarded and nothing was added to the models folder.");
                }
                return fetched;
            }
            finally
            {
                digest.Hash.Dispose();
            }
        }
    }

    /// <summary>The running digest of the bytes on disk; replaced when the server sends the whole file again.</summary>
    private sealed class Digest(IncrementalHash hash)
    {
        public IncrementalHash Hash { get; set; } = hash;
    }

    /// <summary>Fetches from the partial file's length to the end, resuming after every drop while attempts bring
    /// bytes; returns how many bytes this call fetched.</summary>
    private async Task<long> FetchAsync(FileStream file, HubFileInfo info, Digest digest, IProgress<DownloadProgress>? progress, CancellationToken ct)
    {
        var buffer = new byte[1 << 20];
        var resumedFrom = file.Length;
        long fetched = 0;
        var failures = 0;
        var highWater = resumedFrom; // attempts in a row count as failed until the file grows past this
        var meter = new SpeedMeter(info.Size, resumedFrom);
        while (file.Length < info.Size)
        {
            var have = file.Length;
            string? dropped = null;
            using (var response = await hub.SendAsync(HttpMethod.Get, info.Location, request =>
                   {
                       if (have > 0) request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(have, null);
                   }, followRedirects: true, ct))
            {
                if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
                {
                    Restart(file, digest); // the server's file is shorter than what we hold: start over
                    dropped = "the server refused the range";
                }
                else
                {
                    await hub.ThrowIfRefusedAsync(response, info.Repository, info.Path, info.Commit ?? "main", ct);
                    var partialContent = response.StatusCode == HttpStatusCode.PartialContent;
                    if (partialContent && (response.Content.Headers.ContentRange is not { From: { } from } || from != have))
                        throw new HubException(HubProblem.ServerError, $"The server answered a resume at byte {have} with another range; nothing was added to the models folder.");
                    var announced = partialContent ? response.Content.Headers.ContentRange?.Length : response.Content.Headers.ContentLength;
                    if (announced is { } total && total != info.Size)
                    {
                        file.SetLength(0);
                        throw new HubException(HubProblem.SizeMismatch,
                            $"The server says {info.Path} has {total:N0} bytes where the hub says {info.Size:N0}; nothing was added to the models folder.");
                    }
                    if (!partialContent && have > 0) Restart(file, digest); // no range support: the whole file comes again
                    await using var body = await response.Content.ReadAsStreamAsync(ct);
                    while (true)
                    {
                        int read;
                        using (var idle = CancellationTokenSource.CreateLinkedTokenSource(ct))
                        {
                            idle.CancelAfter(IdleTimeout);
                            try
                            {
                                read = await body.ReadAsync(buffer, idle.Token);
                            }
                            catch (Exception e) when (!ct.IsCancellationRequested && e is IOException or HttpRequestException or OperationCanceledException)
                            {
                                dropped = e is OperationCanceledException ? $"no data for {IdleTimeout.TotalSeconds:0} s" : e.Message;
                                break;
                            }
                        }
                        if (read == 0) break;
                        if (file.Length + read > info.Size)
                        {
                            file.SetLength(0);
                            throw new HubException(HubProblem.SizeMismatch,
                                $"The server sent more of {info.Path} than the hub's {info.Size} bytes; it was discarded and nothing was added to the models folder.");
                        }
                        await file.WriteAsync(buffer.AsMemory(0, read), ct);
                        digest.Hash.AppendData(buffer, 0, read);
                        fetched += read;
                        meter.Report(file.Length, progress);
                    }
                }
            }
            if (file.Length >= info.Size) break;
            if (file.Length > highWater) (highWater, failures) = (file.Length, 0);
            failures++;
            if (failures >= Attempts)
                throw new HubException(HubProblem.Unreachable,
                    $"The download of {info.Path} stopped {failures} times in a row ({dropped ?? "the connection closed early"}); {file.Length:N0} of {info.Size:N0} bytes are kept — start it again to resume.");
            await Task.Delay(RetryDelay * failures, ct);
        }
        meter.Report(file.Length, progress, force: true);
        return fetched;
    }

    private static void Restart(FileStream file, Digest digest)
    {
        file.SetLength(0);
        file.Position = 0;
        digest.Hash.Dispose();
        digest.Hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    }

    private static async Task<Digest> HashExistingAsync(FileStream file, long length, CancellationToken ct)
    {
        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        file.Position = 0;
        long done = 0;
        while (done < length)
        {
            var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - done)), ct);
            if (read == 0) break;
            hash.AppendData(buffer, 0, read);
            done += read;
        }
        file.Position = done;
        return new Digest(hash);
    }

    private static FileStream OpenPartial(string partial, string repository, string path)
    {
        try
        {
            // Unbuffered: each network read (up to 1 MiB) is written through at once, so the file holds every byte received
            // while a download stalls or when its process dies, not all but a buffer's worth.
            return new FileStream(partial, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
        }
        catch (IOException e) when (File.Exists(partial))
        {
            throw new HubException(HubProblem.Busy, $"{path} from {repository} is already being downloaded.", e);
        }
    }

    private void CheckSpace(long needed, HubFileInfo info)
    {
        var root = Path.GetFullPath(modelsDirectory);
        var free = (freeSpace ?? FreeBytes)(root);
        if (needed + SpareBytes > free)
            throw new HubException(HubProblem.NoSpace,
                $"{info.Path} needs {Size(needed)} more on the disk of the models folder and {Size(SpareBytes)} to spare; {Size(free)} is free. Nothing was downloaded.");
    }

    private static long FreeBytes(string folder) => new DriveInfo(folder).AvailableFreeSpace;

    /// <summary>The project's own readers decide whether the verified bytes are a model: a GGUF the runtime can open,
    /// a safetensors file the engine can import.</summary>
    private static void CheckModel(string partial, string extension, HubFileInfo info)
    {
        try
        {
            if (extension == ".gguf") GgufReader.Read(partial);
            else SafetensorsHeader.Read(partial);
        }
        catch (Exception e) when (e is InvalidDataException or CheckpointException or IOException)
        {
            File.Delete(partial);
            throw new HubException(HubProblem.NotAModel,
                $"{info.Path} from {info.Repository} matches the hub's checksum but is not a {extension[1..]} model this app can use ({e.Message.Replace(partial, Path.GetFileName(info.Path), StringComparison.Ordinal)}); nothing was added to the models folder.", e);
        }
    }

    /// <summary>A byte count as people read it (KiB, MiB, GiB).</summary>
    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.0} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.0} MiB",
        _ => $"{bytes / 1024.0:0.0} KiB",
    };

    /// <summary>Progress at most five times a second, with the speed over the last reports.</summary>
    private sealed class SpeedMeter(long total, long resumedFrom)
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private readonly long start = resumedFrom;
        private long lastBytes = resumedFrom;
        private double lastSeconds;
        private double speed;

        public void Report(long received, IProgress<DownloadProgress>? progress, bool force = false)
        {
            if (progress is null) return;
            var now = clock.Elapsed.TotalSeconds;
            if (!force && now - lastSeconds < 0.2) return;
            if (now > lastSeconds)
            {
                var current = (received - lastBytes) / (now - lastSeconds);
                speed = speed == 0 ? current : 0.7 * speed + 0.3 * current;
            }
            (lastBytes, lastSeconds) = (received, now);
            TimeSpan? remaining = speed > 0 ? TimeSpan.FromSeconds((total - received) / speed) : null;
            progress.Report(new DownloadProgress(received, total, speed, remaining, start));
        }
    }
}
