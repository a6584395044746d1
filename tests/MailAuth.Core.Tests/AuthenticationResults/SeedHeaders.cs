using System.Collections.Generic;
using System.IO;
using System.Linq;
using MailAuth.Tests.Infrastructure;

namespace MailAuth.Tests.AuthenticationResults;

/// <summary>The Gmail headers of seed 000 in tests/data/authres/seeds.txt, each with its configuration and expected results.</summary>
public sealed class SeedHeaders
{
    public string Configuration { get; private set; }
    public IReadOnlyList<string> Expected { get; private set; }
    public string Field { get; private set; }

    public static IReadOnlyList<SeedHeaders> Load()
    {
        var list = new List<SeedHeaders>();
        SeedHeaders current = null;
        var field = new List<string>();
        void Flush()
        {
            if (current == null) return;
            current.Field = string.Join("\r\n", field);
            list.Add(current);
            field.Clear();
        }
        foreach (var line in File.ReadAllLines(RepositoryPaths.DataFile("authres", "seeds.txt")))
        {
            if (line.StartsWith("## "))
            {
                Flush();
                current = new SeedHeaders { Configuration = line.Substring(3).Trim() };
            }
            else if (line.StartsWith("# expect:") && current != null) current.Expected = line.Substring(9).Split(' ', System.StringSplitOptions.RemoveEmptyEntries);
            else if (line.StartsWith("#") || line.Trim().Length == 0) continue;
            else if (current != null) field.Add(line);
        }
        Flush();
        return list;
    }
}
