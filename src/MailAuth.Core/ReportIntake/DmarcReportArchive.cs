using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using MailAuth.DmarcReports;

namespace MailAuth.ReportIntake;

/// <summary>
/// A folder that keeps every report received, as received (the whole message, .eml), named after the report's
/// <see cref="DmarcReportIdentity.FileStem"/>: the history that Import-DmarcReport reads and that later intakes
/// consult, so a report already kept is not imported again. The folder is its own index: which reports it holds is
/// read from its file names when it is opened, nothing else is kept beside them. A message that carries several
/// reports is kept once, under its first report's name; each other report of it gets an empty-named marker
/// (<c>stem.seen</c>, holding the kept file's name), which Import-DmarcReport does not read.
/// Every file is written to a temporary name in the same folder, flushed, then renamed, so a file with a report
/// name is always whole; an interrupted write leaves only a hidden <c>.tmp</c> file.
/// </summary>
public sealed class DmarcReportArchive
{
    /// <summary>The extension of a marker for a report kept in another report's file.</summary>
    public const string MarkerExtension = ".seen";

    private static readonly Regex StemPattern = new Regex(@"^(?<stem>[^/\\]+![0-9a-f]{16})\.", RegexOptions.CultureInvariant);
    private readonly HashSet<string> _stems = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Opens (and creates) the folder and reads which reports it holds, from the names of its files and subfolders' files.</summary>
    public DmarcReportArchive(string folder)
    {
        if (string.IsNullOrWhiteSpace(folder)) throw new ArgumentException("An archive folder is required.", nameof(folder));
        Folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(Folder);
        foreach (var file in Directory.EnumerateFiles(Folder, "*", SearchOption.AllDirectories))
        {
            var match = StemPattern.Match(Path.GetFileName(file));
            if (match.Success) _stems.Add(match.Groups["stem"].Value);
        }
    }

    /// <summary>The full path of the folder.</summary>
    public string Folder { get; }

    /// <summary>How many reports the folder holds.</summary>
    public int Count => _stems.Count;

    /// <summary>Whether the report is kept in the folder.</summary>
    public bool Contains(DmarcReportIdentity identity) => _stems.Contains(identity.FileStem);

    /// <summary>
    /// Keeps one received message that carries <paramref name="reports"/> (at least one), atomically: the message
    /// under the first report's name with <paramref name="extension"/>, a marker for each other report. Returns the
    /// path of the kept file. A report already in the folder is not written again.
    /// </summary>
    /// <exception cref="IOException">The folder cannot be written.</exception>
    public string Save(IReadOnlyList<DmarcReportIdentity> reports, byte[] content, string extension)
    {
        if (reports == null || reports.Count == 0) throw new ArgumentException("At least one report identity is required.", nameof(reports));
        var first = reports[0];
        var fileName = first.FileStem + extension;
        var path = Path.Combine(Folder, fileName);
        if (!Contains(first))
        {
            WriteAtomically(path, content);
            _stems.Add(first.FileStem);
        }
        for (int i = 1; i < reports.Count; i++)
        {
            if (Contains(reports[i])) continue;
            WriteAtomically(Path.Combine(Folder, reports[i].FileStem + MarkerExtension), System.Text.Encoding.UTF8.GetBytes(fileName + "\n"));
            _stems.Add(reports[i].FileStem);
        }
        return path;
    }

    private void WriteAtomically(string path, byte[] content)
    {
        var temp = Path.Combine(Folder, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content, 0, content.Length);
                stream.Flush(true);
            }
            if (File.Exists(path))
            {
                // Kept by another run since this archive was opened: the same report, whole; keep that one.
                File.Delete(temp);
                return;
            }
            File.Move(temp, path);
        }
        catch
        {
            try { if (File.Exists(temp)) File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
