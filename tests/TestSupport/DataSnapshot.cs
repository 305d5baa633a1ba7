using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Planner.TestSupport;

/// <summary>What a data directory holds, as text that two snapshots can be compared by: every row of every SQLite table
/// (read-only, beside a running app: WAL readers see what is committed) and every other file's path and SHA-256.
/// Data-protection keys are left out: the app may rotate them at any time.</summary>
public static class DataSnapshot
{
    public static string Take(string dataDirectory)
    {
        var text = new StringBuilder();
        var database = Path.Combine(dataDirectory, "planner.db");
        if (File.Exists(database)) Tables(database, text);
        foreach (var file in Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(dataDirectory, file);
            if (relative.StartsWith("planner.db", StringComparison.Ordinal) || relative.StartsWith("keys", StringComparison.Ordinal)
                || relative == "instance.lock" || Path.GetFileName(relative) == "lease")
                continue; // held locked by the running app (the instance lock, a training run's lease): process state, not data
            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"{relative} {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)))}");
        }
        return text.ToString();
    }

    private static void Tables(string database, StringBuilder text)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name;";
            using var reader = list.ExecuteReader();
            while (reader.Read()) tables.Add(reader.GetString(0));
        }
        foreach (var table in tables)
        {
            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"[{table}]");
            using var rows = connection.CreateCommand();
            rows.CommandText = $"SELECT * FROM \"{table}\" ORDER BY rowid;";
            using var reader = rows.ExecuteReader();
            while (reader.Read())
                text.AppendLine(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => Cell(reader.GetValue(i)))));
        }
    }

    private static string Cell(object value) => value switch
    {
        DBNull => "∅",
        byte[] bytes => Convert.ToHexString(bytes),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };
}
