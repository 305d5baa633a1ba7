using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Planner.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MeasuredKeyResults : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Key results were text[]; each becomes a key result with that text and no numbers, in the same order.
            // (A column type change cannot run a subquery, hence a new column filled and renamed.)
            migrationBuilder.Sql("""
                ALTER TABLE "Objectives" ADD COLUMN "KeyResultsMeasured" jsonb NOT NULL DEFAULT '[]';
                UPDATE "Objectives" AS o SET "KeyResultsMeasured" = (
                    SELECT coalesce(jsonb_agg(jsonb_build_object('Current', NULL, 'Start', NULL, 'Target', NULL, 'Text', k.text, 'Unit', '') ORDER BY k.n), '[]'::jsonb)
                    FROM unnest(o."KeyResults") WITH ORDINALITY AS k(text, n));
                ALTER TABLE "Objectives" DROP COLUMN "KeyResults";
                ALTER TABLE "Objectives" RENAME COLUMN "KeyResultsMeasured" TO "KeyResults";
                ALTER TABLE "Objectives" ALTER COLUMN "KeyResults" DROP DEFAULT;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Back to text only: the numbers are lost.
            migrationBuilder.Sql("""
                ALTER TABLE "Objectives" ADD COLUMN "KeyResultsText" text[] NOT NULL DEFAULT '{}';
                UPDATE "Objectives" AS o SET "KeyResultsText" = ARRAY(
                    SELECT k.item ->> 'Text' FROM jsonb_array_elements(o."KeyResults") WITH ORDINALITY AS k(item, n) ORDER BY k.n);
                ALTER TABLE "Objectives" DROP COLUMN "KeyResults";
                ALTER TABLE "Objectives" RENAME COLUMN "KeyResultsText" TO "KeyResults";
                ALTER TABLE "Objectives" ALTER COLUMN "KeyResults" DROP DEFAULT;
                """);
        }
    }
}
