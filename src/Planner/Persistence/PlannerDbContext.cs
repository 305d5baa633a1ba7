using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Planner.Roadmaps;

namespace Planner.Persistence;

/// <summary>The planner's database. Collections that belong to one row (capacity changes, demand, dependencies,
/// key results) are stored as JSON columns of that row, so an initiative saves and conflicts as one unit.</summary>
public class PlannerDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<Objective> Objectives => Set<Objective>();
    public DbSet<Initiative> Initiatives => Set<Initiative>();
    public DbSet<RoadmapVersion> Versions => Set<RoadmapVersion>();
    public DbSet<Documents.StoredDocument> Documents => Set<Documents.StoredDocument>();
    public DbSet<SavedImportMapping> ImportMappings => Set<SavedImportMapping>();
    public DbSet<Security.ApiToken> ApiTokens => Set<Security.ApiToken>();
    public DbSet<EvidenceLink> EvidenceLinks => Set<EvidenceLink>();
    public DbSet<SavedView> SavedViews => Set<SavedView>();
    public DbSet<StoredChatEntry> ChatEntries => Set<StoredChatEntry>();
    public DbSet<Security.ShareLink> ShareLinks => Set<Security.ShareLink>();
    public DbSet<StoredSetting> Settings => Set<StoredSetting>();
    public DbSet<Insights.Labelling.ReviewLabel> ReviewLabels => Set<Insights.Labelling.ReviewLabel>();

    /// <summary>The id of the workspace with this name, or null when there is none.</summary>
    public Task<int?> WorkspaceIdAsync(string name, CancellationToken ct) =>
        Workspaces.Where(w => w.Name == name).Select(w => (int?)w.Id).FirstOrDefaultAsync(ct);

    // Small value objects kept whole in one JSON text column: they are always read and written with their row.
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<T?, string?> AsJson<T>() where T : class =>
        new(v => v == null ? null : JsonSerializer.Serialize(v, Json), s => s == null ? null : JsonSerializer.Deserialize<T>(s, Json));

    private static ValueComparer<T?> JsonComparer<T>() where T : class =>
        new((a, b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json),
            v => JsonSerializer.Serialize(v, Json).GetHashCode(),
            v => v == null ? null : JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, Json), Json));

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Workspace>(w =>
        {
            w.HasIndex(x => x.Name).IsUnique();
            w.Property(x => x.Name).HasMaxLength(200);
            w.Property(x => x.Stage).HasConversion<string>().HasMaxLength(20);
            w.Property(x => x.Scoring).HasConversion(AsJson<ScoringSettings>()!, JsonComparer<ScoringSettings>());
            w.HasMany(x => x.Teams).WithOne().HasForeignKey(t => t.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
            w.HasMany(x => x.Objectives).WithOne().HasForeignKey(o => o.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
            w.HasMany(x => x.Initiatives).WithOne().HasForeignKey(i => i.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<Team>(t =>
        {
            t.HasIndex(x => new { x.WorkspaceId, x.Key }).IsUnique();
            t.ComplexCollection(x => x.CapacityChanges, c => c.ToJson());
        });
        modelBuilder.Entity<Objective>(o =>
        {
            o.HasIndex(x => new { x.WorkspaceId, x.Key }).IsUnique();
            o.ComplexCollection(x => x.KeyResults, c => c.ToJson());
        });
        modelBuilder.Entity<Initiative>(i =>
        {
            i.HasIndex(x => new { x.WorkspaceId, x.Key }).IsUnique();
            i.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            i.Property(x => x.MoSCoW).HasConversion<string>().HasMaxLength(10);
            i.Property(x => x.Version).IsConcurrencyToken();
            i.ComplexCollection(x => x.Demand, c => c.ToJson());
            i.ComplexCollection(x => x.Dependencies, c => c.ToJson());
            i.Property(x => x.Evidence).HasConversion(AsJson<Evidence>(), JsonComparer<Evidence>());
            i.Ignore(x => x.IsMilestone);
            i.Ignore(x => x.TotalPeople);
            i.Ignore(x => x.ResolvedDurationWeeks);
            i.Ignore(x => x.IsUnestimated);
            i.Property(x => x.Source).HasMaxLength(30);
        });
        modelBuilder.Entity<Documents.StoredDocument>(d =>
        {
            d.HasIndex(x => x.Sha256).IsUnique();
            d.Property(x => x.Kind).HasConversion<string>().HasMaxLength(10);
            d.Property(x => x.FileName).HasMaxLength(255);
        });
        modelBuilder.Entity<SavedImportMapping>(m =>
        {
            m.HasIndex(x => new { x.WorkspaceId, x.Format }).IsUnique();
            m.Property(x => x.Format).HasMaxLength(30);
            m.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<StoredChatEntry>(c =>
        {
            c.HasIndex(x => new { x.WorkspaceId, x.Id });
            c.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<StoredSetting>(s =>
        {
            s.HasKey(x => x.Key);
            s.Property(x => x.Key).HasMaxLength(StoredSetting.MaxKeyLength);
            s.Property(x => x.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<SavedView>(v =>
        {
            v.HasIndex(x => new { x.WorkspaceId, x.Name }).IsUnique();
            v.Property(x => x.Name).HasMaxLength(SavedViewStore.MaxNameLength);
            v.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<Security.ApiToken>(t =>
        {
            t.HasIndex(x => x.Hash).IsUnique();
            t.HasIndex(x => x.Prefix);
            t.Property(x => x.Name).HasMaxLength(ApiTokenStore.MaxNameLength);
            t.Property(x => x.Prefix).HasMaxLength(20);
            t.Property(x => x.Hash).HasMaxLength(64);
            t.Property(x => x.Workspace).HasMaxLength(200);
        });
        modelBuilder.Entity<Security.ShareLink>(l =>
        {
            l.HasIndex(x => x.Hash).IsUnique();
            l.Property(x => x.Hash).HasMaxLength(64);
            l.Property(x => x.Label).HasMaxLength(ShareLinkStore.MaxLabelLength);
            l.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<EvidenceLink>(l =>
        {
            l.HasIndex(x => new { x.WorkspaceId, x.InitiativeKey, x.ReviewId }).IsUnique();
            l.Property(x => x.ReviewId).HasMaxLength(InitiativeStore.MaxReviewIdLength);
            l.Property(x => x.Text).HasMaxLength(EvidenceLink.MaxTextLength);
            l.Property(x => x.Source).HasMaxLength(255);
            l.Property(x => x.Decision).HasConversion<string>().HasMaxLength(20);
            l.Property(x => x.Importance).HasConversion<string>().HasMaxLength(10);
            l.Ignore(x => x.Weight);
            l.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<Insights.Labelling.ReviewLabel>(l =>
        {
            l.HasIndex(x => new { x.WorkspaceId, x.ReviewsFile, x.Column, x.ReviewKey }).IsUnique();
            l.Property(x => x.ReviewsFile).HasMaxLength(Insights.Labelling.ReviewLabel.MaxFileLength);
            l.Property(x => x.ReviewKey).HasMaxLength(Insights.Labelling.ReviewKey.Length);
            l.Property(x => x.Column).HasMaxLength(Insights.Labelling.ReviewLabel.MaxColumnLength);
            l.Property(x => x.Label).HasMaxLength(Insights.Labelling.ReviewLabel.MaxLabelLength);
            l.Property(x => x.Model).HasMaxLength(255);
            l.Property(x => x.SetBy).HasConversion<string>().HasMaxLength(10);
            l.Property(x => x.Version).IsConcurrencyToken();
            l.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<RoadmapVersion>(v =>
        {
            v.HasIndex(x => new { x.WorkspaceId, x.CreatedUtc });
            v.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
