using System.Globalization;
using System.Text.RegularExpressions;
using Planner.Roadmaps;

namespace Planner.Scenarios;

/// <summary>Reads the common what-if questions without a model ("What if the backend team loses two people from week
/// 12?", "Push bank feeds back a month", "Ship SSO first", "We only have 12 months of runway") into changes in the
/// scenario language of <see cref="ScenarioSpec"/>, e.g. <c>capacity be -2 from week 12</c>. Teams are matched by id,
/// name or the name's first word; initiatives by id or by the distinctive words of their title. Returns null when the
/// question is not one of these phrasings (the model, when capable, handles the rest).</summary>
public static partial class ScenarioQuestion
{
    /// <summary>Weeks counted for "a month" of delay.</summary>
    public const int WeeksPerMonth = 4;

    private static readonly string[] Months =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    private static readonly Dictionary<string, int> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["a"] = 1, ["an"] = 1, ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7,
        ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12, ["a couple of"] = 2, ["a couple"] = 2, ["couple of"] = 2,
        ["a few"] = 3, ["fifteen"] = 15, ["eighteen"] = 18, ["twenty"] = 20, ["twenty-four"] = 24, ["half"] = 50,
    };

    /// <summary>Team ids that are also English words ("be", "do") are not matched in a sentence.</summary>
    private static readonly HashSet<string> CommonWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "be", "do", "it", "is", "in", "on", "at", "to", "an", "as", "or", "us", "we", "me", "my", "no", "so", "up", "of", "by", "if", "go", "he", "ok", "all", "any", "one", "out",
    };

    private static readonly HashSet<string> Stop = new(StringComparer.OrdinalIgnoreCase)
    {
        "the", "and", "for", "with", "what", "if", "we", "our", "of", "to", "by", "a", "an", "on", "in", "from", "it", "is", "at", "two-way",
        "v2", "happens", "plan", "roadmap", "weeks", "week", "first", "team", "people", "engineers", "scope",
    };

    /// <summary>The changes the question asks for, in the scenario language; null when it is not understood.</summary>
    public static IReadOnlyList<string>? Understand(string question, Workspace workspace)
    {
        var text = Normalize(question);
        // "… and …": when every part is understood on its own, one change per part.
        var parts = AndSplit().Split(text).Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
        if (parts.Count >= 2 && parts.Count <= 8 && parts.Select(p => One(p, workspace)).ToList() is var changes && changes.All(c => c is not null))
            return changes.Select(c => c!).ToList();
        return One(text, workspace) is { } single ? [single] : null;
    }

    private static string Normalize(string question)
    {
        var text = question.Trim().TrimEnd('?', '.', '!').Replace('’', '\'').Replace('–', '-').Replace('—', '-');
        foreach (var (word, n) in Words.OrderByDescending(w => w.Key.Length))
            text = Regex.Replace(text, $@"\b{Regex.Escape(word)}\b(?=\s+(?:more\s+|extra\s+|new\s+|additional\s+)?(?:[\p{{L}}-]+\s+)?(?:people|persons?|engineers?|developers?|devs?|designers?|hires?|heads?|folks|members?|weeks?|months?|sprints?|%|percent))",
                n.ToString(CultureInfo.InvariantCulture), RegexOptions.IgnoreCase);
        return Regex.Replace(text, @"\s+", " ");
    }

    private static string? One(string text, Workspace workspace)
    {
        Match m;
        if ((m = RunwayPattern().Match(text)).Success) return $"runway {m.Groups["n"].Value}";
        if (Team(text, workspace) is { } team && Capacity(text, workspace, team) is { } capacity) return capacity;
        var item = Initiative(text, workspace);
        if (item is null) return null;
        if ((m = ShrinkPattern().Match(text)).Success || (m = ShrinkByPattern().Match(text)).Success)
            return $"shrink {item} {m.Groups["n"].Value}%";
        if (HalvePattern().IsMatch(text)) return $"shrink {item} 50%";
        if (CutPattern().IsMatch(text)) return $"cut {item}";
        if (FirstPattern().IsMatch(text)) return $"first {item}";
        if (DelayPattern().IsMatch(text) && Duration(text) is { } delay) return $"delay {item} {delay}";
        if (EstimatePattern().IsMatch(text) && Duration(text) is { } weeks) return $"estimate {item} {weeks}";
        return null;
    }

    private static string? Capacity(string text, Workspace workspace, Team team)
    {
        var m = PeoplePattern().Match(text);
        var n = m.Success ? int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture) : 1;
        int sign;
        if (LosePattern().IsMatch(text)) sign = -1;
        else if (GainPattern().IsMatch(text)) sign = 1;
        else return null;
        if (!m.Success && !SinglePattern().IsMatch(text)) return null;
        var from = From(text, workspace);
        return from is null ? null : $"capacity {team.Key} {(sign < 0 ? "-" : "+")}{n} from {from}";
    }

    /// <summary>"week 12", "April", "May 2027", "2027-05-03", "Q2", or the plan's start when no time is named.</summary>
    private static string? From(string text, Workspace workspace)
    {
        Match m;
        if ((m = WeekPattern().Match(text)).Success) return $"week {m.Groups["n"].Value}";
        if ((m = DatePattern().Match(text)).Success) return m.Value;
        if ((m = QuarterPattern().Match(text)).Success)
        {
            var quarter = int.Parse(m.Groups["q"].Value, CultureInfo.InvariantCulture);
            return Format(Next(workspace, (quarter - 1) * 3 + 1, m.Groups["y"].Success ? int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture) : null));
        }
        if ((m = MonthPattern().Match(text)).Success)
        {
            var month = Array.FindIndex(Months, x => x.StartsWith(m.Groups["m"].Value.ToLowerInvariant(), StringComparison.Ordinal)) + 1;
            var day = m.Groups["d"].Success ? int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture) : 1;
            var first = Next(workspace, month, m.Groups["y"].Success ? int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture) : null);
            return day <= DateTime.DaysInMonth(first.Year, month) ? Format(first.AddDays(day - 1)) : null;
        }
        if ((m = MonthsInPattern().Match(text)).Success)
            return Format(workspace.PlanningStart.AddMonths(int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture)));
        return "week 0";
    }

    /// <summary>The first of <paramref name="month"/> in <paramref name="year"/>, or its next occurrence from the plan's
    /// start.</summary>
    private static DateOnly Next(Workspace workspace, int month, int? year)
    {
        var start = workspace.PlanningStart;
        if (year is { } y) return new DateOnly(y, month, 1);
        var candidate = new DateOnly(start.Year, month, 1);
        return candidate.AddMonths(1) <= start ? candidate.AddYears(1) : candidate;
    }

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A number of weeks: "4 weeks", "2 sprints" (two weeks each), "a month" (<see cref="WeeksPerMonth"/>).</summary>
    private static int? Duration(string text)
    {
        var m = DurationPattern().Match(text);
        if (!m.Success) return null;
        var n = int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
        var unit = m.Groups["u"].Value.ToLowerInvariant();
        return unit.StartsWith('m') ? n * WeeksPerMonth : unit.StartsWith('s') ? n * 2 : n;
    }

    private static Team? Team(string text, Workspace workspace)
    {
        var flat = text.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        foreach (var team in workspace.Teams)
        {
            var aliases = new[] { team.Key, team.Name, team.Name.Split(' ', '&')[0] }
                .Select(a => a.Replace("-", "", StringComparison.Ordinal).Trim().ToLowerInvariant()).Where(a => a.Length >= 2 && !CommonWords.Contains(a)).Distinct();
            foreach (var alias in aliases)
                if (Regex.IsMatch(flat, $@"\b{Regex.Escape(alias)}(?:ers?|s)?\b(?!\s*(?:ui|app|screens?|feature)\b)")) return team;
        }
        return null;
    }

    /// <summary>The initiative named by id ("i5") or the one whose title's distinctive words the question uses most;
    /// null when none or several match equally.</summary>
    private static string? Initiative(string text, Workspace workspace)
    {
        var byId = workspace.Initiatives.Where(i => Regex.IsMatch(text, $@"(?<![\w-]){Regex.Escape(i.Key)}(?![\w-])", RegexOptions.IgnoreCase)).ToList();
        if (byId.Count == 1) return byId[0].Key;
        var asked = Tokens(text).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var titles = workspace.Initiatives.Where(i => i.Status != InitiativeStatus.Dropped).Select(i => (i.Key, Words: Tokens(i.Title).Distinct(StringComparer.OrdinalIgnoreCase).ToList())).ToList();
        var frequency = titles.SelectMany(t => t.Words).GroupBy(w => w, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
        var scored = titles
            .Select(t => (t.Key, Score: t.Words.Where(w => asked.Contains(w) || asked.Contains(w + "s") || asked.Any(a => a.Length >= 4 && w.StartsWith(a, StringComparison.OrdinalIgnoreCase)))
                .Sum(w => 1.0 / frequency[w])))
            .Where(t => t.Score > 0).OrderByDescending(t => t.Score).ToList();
        if (scored.Count == 0 || (scored.Count > 1 && Math.Abs(scored[0].Score - scored[1].Score) < 1e-9)) return null;
        return scored[0].Score >= 0.5 ? scored[0].Key : null;
    }

    private static IEnumerable<string> Tokens(string text) =>
        WordPattern().Matches(text).Select(m => m.Value.ToLowerInvariant()).Where(w => w.Length >= 2 && !Stop.Contains(w));

    [GeneratedRegex(@"\s+(?:and|plus|also)\s+(?:also\s+)?|\s*;\s*", RegexOptions.IgnoreCase)]
    private static partial Regex AndSplit();

    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{N}'-]*")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"\brunway\b.*?\b(?<n>\d+)\s*(?:m\b|mo\b|months?\b)|\b(?<n>\d+)\s*months?\s+(?:of\s+)?(?:runway|cash|money|funding)\b", RegexOptions.IgnoreCase)]
    private static partial Regex RunwayPattern();

    [GeneratedRegex(@"(?:\b(?<n>\d+)\s+(?:more\s+|extra\s+|new\s+|additional\s+)?(?:[\p{L}-]+\s+)?(?:people|persons?|engineers?|developers?|devs?|designers?|hires?|heads?|folks|members?))|(?:\b(?:by|down|up|minus|plus)\s+(?<n>\d+)\b(?!\s*(?:%|weeks?|months?)))", RegexOptions.IgnoreCase)]
    private static partial Regex PeoplePattern();

    [GeneratedRegex(@"\b(?:someone|somebody|a person|an engineer|a developer|a designer|one person)\b", RegexOptions.IgnoreCase)]
    private static partial Regex SinglePattern();

    [GeneratedRegex(@"\b(?:lose|loses|losing|lost|leave|leaves|leaving|quit|quits|goes? on leave|fewer|down|minus|shrinks?|shrinking|lay(?:s)? off|laid off|cut|cuts|reduce|reduced|without)\b", RegexOptions.IgnoreCase)]
    private static partial Regex LosePattern();

    [GeneratedRegex(@"\b(?:gain|gains|gaining|hire|hires|hired|hiring|add|adds|adding|join|joins|joining|extra|more|grow|grows|up|plus|onboard)\b", RegexOptions.IgnoreCase)]
    private static partial Regex GainPattern();

    [GeneratedRegex(@"\bweek\s*(?:#\s*)?(?<n>\d+)\b", RegexOptions.IgnoreCase)]
    private static partial Regex WeekPattern();

    [GeneratedRegex(@"\b\d{4}-\d{2}-\d{2}\b")]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"\bQ(?<q>[1-4])(?:\s+(?<y>\d{4}))?\b", RegexOptions.IgnoreCase)]
    private static partial Regex QuarterPattern();

    [GeneratedRegex(@"\b(?<m>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|(?<=\b(?:in|from|starting|since|after|on|of|by|until|mid)\s+)may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b(?:\s+(?<d>\d{1,2})(?!\d))?(?:,?\s+(?<y>\d{4}))?", RegexOptions.IgnoreCase)]
    private static partial Regex MonthPattern();

    [GeneratedRegex(@"\bin\s+(?<n>\d+)\s+months?\b", RegexOptions.IgnoreCase)]
    private static partial Regex MonthsInPattern();

    [GeneratedRegex(@"\b(?<n>\d+)\s*(?<u>weeks?|wks?|w\b|months?|sprints?)", RegexOptions.IgnoreCase)]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"\b(?:shrink|shrinks|shrinking|cut|cuts|reduce|reduces|trim|trims|descope|scale back|scope down)\b.*?\bby\s+(?<n>\d+)\s*(?:%|percent)", RegexOptions.IgnoreCase)]
    private static partial Regex ShrinkPattern();

    [GeneratedRegex(@"\b(?<n>\d+)\s*(?:%|percent)\s+(?:smaller|less|of (?:the|its) scope|off)", RegexOptions.IgnoreCase)]
    private static partial Regex ShrinkByPattern();

    [GeneratedRegex(@"\b(?:halve|halved|halving|in half|by half|half the scope|half of the scope)\b", RegexOptions.IgnoreCase)]
    private static partial Regex HalvePattern();

    [GeneratedRegex(@"\b(?:cut|cuts|drop|drops|dropped|remove|removed|kill|killed|scrap|scrapped|skip|skipped|shelve|shelved|cancel|cancelled|canceled|don't do|do not do|didn't do|did not do|give up on|abandon)\b", RegexOptions.IgnoreCase)]
    private static partial Regex CutPattern();

    [GeneratedRegex(@"\b(?:first|top priority|before (?:everything|anything) else|prioriti[sz]e|front of the (?:queue|line))\b", RegexOptions.IgnoreCase)]
    private static partial Regex FirstPattern();

    [GeneratedRegex(@"\b(?:delay|delays|delayed|delaying|push|pushes|pushed|postpone|postponed|postpones|slip|slips|slipped|late|later|defer|deferred|starts? \d+ \w+ later|back)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DelayPattern();

    [GeneratedRegex(@"\b(?:takes?|took|taking|estimate|estimated|re-estimate|reestimate|re-estimated|needs?|needed|would take|is actually|actually|lasts?|turns out to be|will be|is)\b", RegexOptions.IgnoreCase)]
    private static partial Regex EstimatePattern();
}
