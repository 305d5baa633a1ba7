using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Planner.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Prioritization : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Scoring",
                table: "Workspaces",
                type: "TEXT",
                nullable: false,
                defaultValue: "{\"framework\":0,\"businessValueWeight\":1,\"timeCriticalityWeight\":1,\"riskReductionWeight\":1}");

            migrationBuilder.AddColumn<string>(
                name: "Evidence",
                table: "Initiatives",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "IgnoreEvidence",
                table: "Initiatives",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Scoring",
                table: "Workspaces");

            migrationBuilder.DropColumn(
                name: "Evidence",
                table: "Initiatives");

            migrationBuilder.DropColumn(
                name: "IgnoreEvidence",
                table: "Initiatives");
        }
    }
}
