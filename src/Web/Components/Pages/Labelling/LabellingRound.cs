using Planner.Hosting.Evidence;
using Planner.Insights.Labelling;

namespace Planner.Web.Components.Pages.Labelling;

/// <summary>The Label page's state, without I/O: the reviews still to label in the order they are asked (file order until
/// there are suggestions, then the least certain first: active learning), what was done (for undo), and the counts.</summary>
public sealed class LabellingRound
{
    private readonly List<LabellingItem> items;
    private readonly List<LabellingItem> open;
    private readonly Stack<Step> done = new();

    /// <summary>One action of this tab: a label given (with the stored label it replaced) or a review skipped.</summary>
    public sealed record Step(LabellingItem Item, bool Skipped, ReviewLabel? Before);

    /// <summary>The reviews to label in file order, or least certain first when some already carry a suggestion with a
    /// margin (the chat model's labels kept from an earlier visit).</summary>
    public LabellingRound(IReadOnlyList<LabellingItem> items)
    {
        this.items = [.. items];
        open = [.. items.Where(i => i.Label is null)];
        if (open.Any(i => i.Suggestion?.Margin is not null)) Order(keepCurrent: false);
    }

    public LabellingItem? Current => open.Count > 0 ? open[0] : null;
    public int Labelled => items.Count(i => i.Label is not null);
    public int ToGo => open.Count;
    public bool CanUndo => done.Count > 0;

    /// <summary>Whether the reviews are asked least-certain first (once there are suggestions with margins).</summary>
    public bool ByUncertainty { get; private set; }

    public IReadOnlyList<LabellingItem> Items => items;

    /// <summary>The reviews still to label, in the order they are asked.</summary>
    public IReadOnlyList<LabellingItem> Open => [.. open];

    /// <summary>The labels of the set: those given so far (the file's and the founder's), then <paramref name="extra"/>.</summary>
    public IReadOnlyList<string> LabelSet(IEnumerable<string> extra) =>
        [.. items.Select(i => i.Label).OfType<string>().Concat(extra.Select(e => e.Trim()).Where(e => e.Length > 0)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Takes new suggestions and asks the least certain reviews first (smallest margin between the two likeliest
    /// labels; unknown margins after known ones, in file order). The review on screen stays on screen. Every review the
    /// suggestions were computed for keeps its own, even one labelled while they were computed (its label was not
    /// trained on), so an undo brings it back with its suggestion.</summary>
    public void Suggest(IReadOnlyDictionary<string, ItemSuggestion> suggestions)
    {
        foreach (var item in items)
            if (suggestions.TryGetValue(item.Key, out var s)) item.Suggestion = s;
        if (open.Count < 2) return;
        Order(keepCurrent: true);
    }

    /// <summary>Smallest margin first, unknown margins last, ties in the present order; the first review stays first
    /// with <paramref name="keepCurrent"/>.</summary>
    private void Order(bool keepCurrent)
    {
        var kept = keepCurrent ? open.Take(1).ToList() : [];
        var rest = open.Skip(kept.Count).Select((item, index) => (item, index))
            .OrderBy(p => p.item.Suggestion?.Margin is null ? 1 : 0).ThenBy(p => p.item.Suggestion?.Margin ?? 0).ThenBy(p => p.index).Select(p => p.item).ToList();
        open.Clear();
        open.AddRange(kept);
        open.AddRange(rest);
        ByUncertainty = rest.Any(i => i.Suggestion?.Margin is not null);
    }

    /// <summary>The current review was labelled and saved as <paramref name="saved"/>: the next one comes up.</summary>
    public void Record(LabellingItem item, ReviewLabel saved)
    {
        done.Push(new Step(item, false, item.Stored));
        item.Stored = saved;
        open.Remove(item);
    }

    /// <summary>The current review moves to the end of the queue.</summary>
    public void Skip()
    {
        if (Current is not { } item) return;
        done.Push(new Step(item, true, item.Stored));
        open.RemoveAt(0);
        open.Add(item);
    }

    /// <summary>The last step, taken off the history (the caller undoes its write, then calls <see cref="Restore"/>).</summary>
    public Step? PopUndo() => done.TryPop(out var step) ? step : null;

    /// <summary>Puts a review back on screen after an undo, with the stored label it has now.</summary>
    public void Restore(Step step, ReviewLabel? stored)
    {
        step.Item.Stored = stored;
        open.Remove(step.Item);
        if (step.Item.Label is null) open.Insert(0, step.Item);
    }

    /// <summary>Applies another writer's change to one of these reviews; a sentence for the founder when it changed a
    /// label this queue knew, else null.</summary>
    public string? Apply(LabelChange change)
    {
        var item = items.FirstOrDefault(i => i.Key == change.ReviewKey);
        if (item is null || (item.Stored?.Version ?? 0) == change.Version && item.Stored?.Label == change.Label) return null;
        var before = item.Label;
        item.Stored = change.Label is null ? null : new ReviewLabel
        {
            ReviewsFile = change.ReviewsFile, Column = change.Column, ReviewKey = change.ReviewKey, Label = change.Label,
            SetBy = change.SetBy ?? LabelSource.Founder, Version = change.Version,
        };
        if (item.Label is null) { if (!open.Contains(item)) open.Add(item); }
        else open.Remove(item);
        return item.Label == before ? null
            : change.Label is null ? $"Review {item.Review.Id}: its label '{before}' was removed in another tab."
            : $"Review {item.Review.Id} was labelled '{change.Label}' in another tab{(before is null ? "" : $" (it was '{before}')")}.";
    }
}
