using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Planner.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MeasuredKeyResults : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Key results were a JSON array of strings; each becomes a key result with that text and no numbers.
            migrationBuilder.Sql("""
                UPDATE "Objectives" SET "KeyResults" = (
                    SELECT json_group_array(json_object('Current', NULL, 'Start', NULL, 'Target', NULL, 'Text', "value", 'Unit', ''))
                    FROM json_each("Objectives"."KeyResults"));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Back to text only: the numbers are lost.
            migrationBuilder.Sql("""
                UPDATE "Objectives" SET "KeyResults" = (
                    SELECT json_group_array(json_extract("value", '$.Text'))
                    FROM json_each("Objectives"."KeyResults"));
                """);
        }
    }
}
