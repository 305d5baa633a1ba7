using Microsoft.EntityFrameworkCore;
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

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Workspace>(w =>
        {
            w.HasIndex(x => x.Name).IsUnique();
            w.Property(x => x.Name).HasMaxLength(200);
            w.Property(x => x.Stage).HasConversion<string>().HasMaxLength(20);
            w.HasMany(x => x.Teams).WithOne().HasForeignKey(t => t.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
            w.HasMany(x => x.Objectives).WithOne().HasForeignKey(o => o.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
            w.HasMany(x => x.Initiatives).WithOne().HasForeignKey(i => i.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<Team>(t =>
        {
            t.HasIndex(x => new { x.WorkspaceId, x.Key }).IsUnique();
            t.ComplexCollection(x => x.CapacityChanges, c => c.ToJson());
        });
        model.Entity<Objective>(o => o.HasIndex(x => new { x.WorkspaceId, x.Key }).IsUnique());
        model.Entity<Initiative>(i =>
        {
            i.HasIndex(x => new { x.WorkspaceId, x.Key }).IsUnique();
            i.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            i.Property(x => x.MoSCoW).HasConversion<string>().HasMaxLength(10);
            i.Property(x => x.Version).IsConcurrencyToken();
            i.ComplexCollection(x => x.Demand, c => c.ToJson());
            i.ComplexCollection(x => x.Dependencies, c => c.ToJson());
            i.Ignore(x => x.IsMilestone);
            i.Ignore(x => x.TotalPeople);
            i.Ignore(x => x.ResolvedDurationWeeks);
        });
        model.Entity<RoadmapVersion>(v =>
        {
            v.HasIndex(x => new { x.WorkspaceId, x.CreatedUtc });
            v.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
