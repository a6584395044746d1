using System.Collections.Generic;

namespace MailAuth.Spf;

/// <summary>Parsed records by text, so that evaluating the same record again does not parse it again. Bounded; thread-safe.</summary>
internal sealed class SpfRecordCache
{
    private const int Capacity = 4096;
    private readonly Dictionary<string, (SpfRecord Record, string Error)> _entries = new Dictionary<string, (SpfRecord, string)>();

    public SpfRecord Get(string text, out string error)
    {
        lock (_entries)
        {
            if (_entries.TryGetValue(text, out var hit))
            {
                error = hit.Error;
                return hit.Record;
            }
        }
        SpfRecordParser.TryParse(text, out var record, out error);
        lock (_entries)
        {
            if (_entries.Count >= Capacity) _entries.Clear();
            _entries[text] = (record, error);
        }
        return record;
    }
}
