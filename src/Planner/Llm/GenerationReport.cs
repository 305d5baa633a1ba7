using System.Globalization;

namespace Planner.Llm;

/// <summary>Why a generation ended.</summary>
public enum GenerationEnd
{
    /// <summary>The model ended its reply (end-of-text token) or a grammar left nothing more to write.</summary>
    Finished,

    /// <summary>A stop text arrived (e.g. the next "User:" turn).</summary>
    StopText,

    /// <summary>The token budget ran out: the reply may be cut off.</summary>
    TokenLimit,
}

/// <summary>What one generation did, counted as it ran: the prompt as sent (and how much of it had to be cut to fit),
/// the tokens asked for and allowed, the tokens generated, how many of them decoded to no text (pieces of a multi-byte
/// character that never completed), the characters that arrived, and why it ended. It makes a cut-off reply
/// explainable in numbers rather than guesses.</summary>
public sealed record GenerationReport
{
    public required int ContextSize { get; init; }
    public required int PromptTokens { get; init; }

    /// <summary>Tokens cut from the start of the prompt so that it fit the context.</summary>
    public required int PromptTokensCut { get; init; }

    /// <summary>The output limit the request asked for.</summary>
    public required int TokensRequested { get; init; }

    /// <summary>The output limit that applied: the request's, or less when the context left less room after the prompt.</summary>
    public required int TokensAllowed { get; init; }

    public required int TokensGenerated { get; init; }

    /// <summary>Generated tokens that decoded to no text at all.</summary>
    public required int TokensWithoutText { get; init; }

    /// <summary>Characters of the reply (stop texts not counted).</summary>
    public required int Characters { get; init; }

    public required GenerationEnd End { get; init; }

    /// <summary>Time from the first generated token to the last (prompt processing excluded).</summary>
    public required TimeSpan Decoding { get; init; }

    /// <summary>Decode speed, or null with too few tokens to say.</summary>
    public double? TokensPerSecond => TokensGenerated > 1 && Decoding > TimeSpan.Zero ? (TokensGenerated - 1) / Decoding.TotalSeconds : null;

    /// <summary>Whether the context, not the request, set the output limit.</summary>
    public bool LimitedByContext => TokensAllowed < TokensRequested;

    /// <summary>The numbers of a reply that hit its limit, in words: "The model wrote 64 tokens (all the room its
    /// 256-token context left after the prompt; 600 were allowed) but only 135 characters".</summary>
    public string CutOffSummary()
    {
        var why = LimitedByContext
            ? $"all the room its {ContextSize}-token context left after the prompt; {TokensRequested} were allowed"
            : "the output limit";
        var text = string.Create(CultureInfo.InvariantCulture, $"The model wrote {TokensGenerated} tokens ({why}) but only {Characters} characters");
        if (TokensWithoutText > 0) text += string.Create(CultureInfo.InvariantCulture, $"; {TokensWithoutText} tokens decoded to no text");
        if (PromptTokensCut > 0) text += string.Create(CultureInfo.InvariantCulture, $"; the first {PromptTokensCut} tokens of the instructions were cut to fit the context");
        return text;
    }
}
