using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using MailAuth.Dns;

namespace MailAuth.Dkim;

/// <summary>
/// What DKIM and ARC verification reuse between messages, owned by whoever creates it and handed to
/// <see cref="DkimSignatureVerifier"/> and <see cref="Arc.ArcChainVerifier"/>: key records parsed from their TXT text
/// (RFC 6376 §3.6.1) with their public keys decoded, RSA keys imported into the platform's cryptography, and hash objects.
/// Parsing and importing an RSA key costs several times more than verifying with it, so a receiver keeps one cache for
/// many messages. Bounded: at most <see cref="Capacity"/> key records, the oldest forgotten first; each key's imported
/// RSA objects and the pooled hash objects are bounded by the processor count. Safe to share between threads.
/// </summary>
public sealed class DkimKeyCache
{
    /// <summary>The key records a cache made with the parameterless constructor holds at most.</summary>
    public const int DefaultCapacity = 512;

    private readonly object _gate = new object();
    private readonly Dictionary<string, Entry> _records = new Dictionary<string, Entry>(StringComparer.Ordinal);
    private readonly Queue<string> _age = new Queue<string>();
    private readonly Dictionary<DkimPublicKey, Entry> _byKey = new Dictionary<DkimPublicKey, Entry>();

    /// <summary>
    /// The latest resource record each held entry was read from: a resolver's cache hands out the same record again, and then
    /// its text need not be joined and looked up. At most one per entry, so bounded with them.
    /// </summary>
    private readonly Dictionary<DnsResourceRecord, Entry> _byResource = new Dictionary<DnsResourceRecord, Entry>(ReferenceComparer.Instance);
    private readonly Stack<DkimHashWriter> _sha256 = new Stack<DkimHashWriter>();
    private readonly Stack<DkimHashWriter> _sha1 = new Stack<DkimHashWriter>();
    private readonly int _perKey;
    private int _imported;

    public DkimKeyCache() : this(DefaultCapacity) { }

    /// <param name="capacity">The most key records held (1 or more).</param>
    public DkimKeyCache(int capacity)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A DKIM key cache holds at least one key record.");
        Capacity = capacity;
        _perKey = Math.Max(2, Environment.ProcessorCount);
    }

    /// <summary>The most key records held.</summary>
    public int Capacity { get; }

    /// <summary>The most imported RSA objects kept for one key, and the most hash objects of each algorithm kept: the processor count (at least 2).</summary>
    public int PoolSize => _perKey;

    /// <summary>Key records held now.</summary>
    public int Count
    {
        get { lock (_gate) return _records.Count; }
    }

    /// <summary>Imported RSA objects held now, over all keys.</summary>
    public int ImportedKeyCount
    {
        get { lock (_gate) return _imported; }
    }

    /// <summary>Hash objects held now, both algorithms.</summary>
    public int HashObjectCount
    {
        get { lock (_gate) return _sha256.Count + _sha1.Count; }
    }

    /// <summary>Resource records remembered now (at most one per key record).</summary>
    internal int ResourceCount
    {
        get { lock (_gate) return _byResource.Count; }
    }

    /// <summary>Forgets everything held.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            foreach (var entry in _records.Values) entry.DisposePool();
            _records.Clear();
            _byKey.Clear();
            _byResource.Clear();
            _age.Clear();
            _imported = 0;
        }
    }

    /// <summary>The key record of TXT record <paramref name="resource"/>, parsed once and kept while it is among the newest <see cref="Capacity"/>.</summary>
    internal DkimKeyRecord Record(DnsResourceRecord resource)
    {
        lock (_gate)
        {
            if (_byResource.TryGetValue(resource, out var known)) return known.Record;
        }
        return Record(resource.JoinedText, resource);
    }

    /// <summary>The key record of TXT text <paramref name="text"/>, parsed once and kept while it is among the newest <see cref="Capacity"/>.</summary>
    internal DkimKeyRecord Record(string text) => Record(text ?? string.Empty, null);

    private DkimKeyRecord Record(string text, DnsResourceRecord resource)
    {
        Entry entry;
        lock (_gate)
        {
            if (_records.TryGetValue(text, out entry))
            {
                Remember(entry, resource);
                return entry.Record;
            }
        }
        var parsed = DkimKeyRecord.Parse(text);
        lock (_gate)
        {
            if (!_records.TryGetValue(text, out entry))
            {
                while (_records.Count >= Capacity) Evict(_age.Dequeue());
                entry = new Entry(parsed);
                _records[text] = entry;
                _age.Enqueue(text);
                if (parsed.PublicKey != null) _byKey[parsed.PublicKey] = entry;
            }
            Remember(entry, resource);
            return entry.Record;
        }
    }

    private void Remember(Entry entry, DnsResourceRecord resource)
    {
        if (resource == null || ReferenceEquals(entry.Resource, resource)) return;
        if (entry.Resource != null) _byResource.Remove(entry.Resource);
        entry.Resource = resource;
        _byResource[resource] = entry;
    }

    private void Evict(string text)
    {
        if (!_records.TryGetValue(text, out var entry)) return;
        _records.Remove(text);
        if (entry.Record.PublicKey != null) _byKey.Remove(entry.Record.PublicKey);
        if (entry.Resource != null) _byResource.Remove(entry.Resource);
        _imported -= entry.DisposePool();
    }

    /// <summary>An RSA object with <paramref name="key"/> imported, for one caller at a time; give it back with <see cref="ReturnRsa"/>.</summary>
    internal RSA RentRsa(DkimPublicKey key)
    {
        lock (_gate)
        {
            if (_byKey.TryGetValue(key, out var entry) && entry.Pool.Count > 0)
            {
                _imported--;
                return entry.Pool.Pop();
            }
        }
        return key.Import();
    }

    /// <summary>Keeps <paramref name="rsa"/> for the next verification with <paramref name="key"/> while the key is held and its pool has room; else disposes it.</summary>
    internal void ReturnRsa(DkimPublicKey key, RSA rsa)
    {
        lock (_gate)
        {
            if (_byKey.TryGetValue(key, out var entry) && entry.Pool.Count < _perKey)
            {
                entry.Pool.Push(rsa);
                _imported++;
                return;
            }
        }
        rsa.Dispose();
    }

    /// <summary>A hash writer for sha256 or sha1, started with the l= <paramref name="limit"/>; give it back with <see cref="ReturnWriter"/>.</summary>
    internal DkimHashWriter RentWriter(DkimHashAlgorithm hash, long? limit = null)
    {
        DkimHashWriter writer = null;
        lock (_gate)
        {
            var pool = hash == DkimHashAlgorithm.Sha1 ? _sha1 : _sha256;
            if (pool.Count > 0) writer = pool.Pop();
        }
        writer = writer ?? new DkimHashWriter(hash == DkimHashAlgorithm.Sha1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256) { Algorithm = hash };
        writer.Start(limit);
        return writer;
    }

    internal void ReturnWriter(DkimHashWriter writer)
    {
        lock (_gate)
        {
            var pool = writer.Algorithm == DkimHashAlgorithm.Sha1 ? _sha1 : _sha256;
            if (pool.Count < _perKey) pool.Push(writer);
        }
    }

    private sealed class Entry
    {
        public Entry(DkimKeyRecord record) => Record = record;

        public DkimKeyRecord Record { get; }
        public Stack<RSA> Pool { get; } = new Stack<RSA>();

        /// <summary>The latest resource record this entry was read from, or null.</summary>
        public DnsResourceRecord Resource { get; set; }

        /// <summary>Disposes the pooled RSA objects and says how many there were.</summary>
        public int DisposePool()
        {
            int n = Pool.Count;
            while (Pool.Count > 0) Pool.Pop().Dispose();
            return n;
        }
    }

    /// <summary>Resource records compared as objects: the same record handed out again, not an equal one.</summary>
    private sealed class ReferenceComparer : IEqualityComparer<DnsResourceRecord>
    {
        public static readonly ReferenceComparer Instance = new ReferenceComparer();

        public bool Equals(DnsResourceRecord x, DnsResourceRecord y) => ReferenceEquals(x, y);

        public int GetHashCode(DnsResourceRecord obj) => RuntimeHelpers.GetHashCode(obj);
    }
}
