using System;

namespace MailAuth.Dkim;

/// <summary>
/// The simple and relaxed canonicalization algorithms of RFC 6376 §3.4, for header fields and for the body,
/// read straight from the message bytes and written to a <see cref="DkimHashWriter"/>. Header bytes are
/// Latin-1, so every byte of 8-bit headers survives unchanged. Whatever is already canonical (most of a body)
/// goes to the hash as a run of the message's own bytes; only what changes is written piece by piece.
/// </summary>
internal static class DkimCanonicalization
{
    private const byte Sp = (byte)' ', Tab = (byte)'\t', Cr = (byte)'\r', Lf = (byte)'\n';

    /// <summary>
    /// RFC 6376 §3.4.1 (simple: the field unchanged, folding line breaks made CRLF) or §3.4.2 (relaxed), followed by CRLF
    /// unless <paramref name="withCrLf"/> is false. The bytes from <paramref name="holeStart"/> to <paramref name="holeEnd"/>
    /// (a DKIM-Signature's b= value, §3.7) are left out; pass equal values for none.
    /// </summary>
    public static void Header(DkimHeaderField field, bool relaxed, DkimHashWriter writer, bool withCrLf = true, int holeStart = 0, int holeEnd = 0)
    {
        var data = field.Data;
        bool hole = holeEnd > holeStart;
        if (!relaxed)
        {
            if (hole)
            {
                SimpleHeaderPart(data, field.Start, holeStart, writer);
                SimpleHeaderPart(data, holeEnd, field.End, writer);
            }
            else SimpleHeaderPart(data, field.Start, field.End, writer);
        }
        else
        {
            for (int k = field.Start; k < field.NameEnd; k++) writer.WriteByte(ToLower(data[k]));
            writer.WriteByte((byte)':');
            bool pendingSpace = false, started = false;
            if (hole)
            {
                RelaxedValuePart(data, field.Colon + 1, holeStart, writer, ref pendingSpace, ref started);
                RelaxedValuePart(data, holeEnd, field.End, writer, ref pendingSpace, ref started);
            }
            else RelaxedValuePart(data, field.Colon + 1, field.End, writer, ref pendingSpace, ref started);
        }
        if (withCrLf) writer.WriteCrLf();
    }

    /// <summary>The bytes as they are, except that a bare LF (folding in a file with Unix line ends) becomes CRLF.</summary>
    private static void SimpleHeaderPart(byte[] data, int start, int end, DkimHashWriter writer)
    {
        int run = start;
        for (int k = start; k < end; k++)
        {
            if (data[k] != Lf || (k > start && data[k - 1] == Cr) || (k == start && k > 0 && data[k - 1] == Cr)) continue;
            writer.Write(data, run, k - run);
            writer.WriteByte(Cr);
            run = k;
        }
        writer.Write(data, run, end - run);
    }

    /// <summary>
    /// §3.4.2: unfold (CR and LF dropped), runs of SP and HTAB made one SP, none at the start or the end of the value. A single
    /// SP between two words is canonical already and stays inside the run of message bytes.
    /// </summary>
    private static void RelaxedValuePart(byte[] data, int start, int end, DkimHashWriter writer, ref bool pendingSpace, ref bool started)
    {
        int k = start;
        while (k < end)
        {
            byte b = data[k];
            if (b == Cr || b == Lf)
            {
                k++;
                continue;
            }
            if (b == Sp || b == Tab)
            {
                pendingSpace = true;
                k++;
                continue;
            }
            int run = k;
            while (k < end)
            {
                b = data[k];
                if (b == Sp && k + 1 < end && !IsWspOrLineBreak(data[k + 1])) k++;
                else if (IsWspOrLineBreak(b)) break;
                k++;
            }
            if (pendingSpace && started) writer.WriteByte(Sp);
            pendingSpace = false;
            started = true;
            writer.Write(data, run, k - run);
        }
    }

    private static byte ToLower(byte b) =>
        b >= (byte)'A' && b <= (byte)'Z' ? (byte)(b | 0x20) : b >= 0x80 ? (byte)char.ToLowerInvariant((char)b) : b;

    /// <summary>
    /// Writes the body canonicalized by RFC 6376 §3.4.3 (simple) or §3.4.4 (relaxed) to <paramref name="writer"/> (which
    /// applies l=, §3.4.5) and returns the canonical length. Bare LF ends a line as CRLF does; a CR is part of the line
    /// ending only right before the LF.
    /// </summary>
    public static long Body(byte[] data, int offset, int count, bool relaxed, DkimHashWriter writer)
    {
        if (relaxed) RelaxedBody(data, offset, offset + count, writer);
        else SimpleBody(data, offset, offset + count, writer);
        return writer.Total;
    }

    /// <summary>
    /// §3.4.3: empty lines at the end are dropped and an empty body is one CRLF. Lines that end in CRLF go to the hash
    /// as they are, many at a time; only a bare LF (made CRLF) or empty lines (held back until a line follows) break a run.
    /// </summary>
    private static void SimpleBody(byte[] data, int start, int end, DkimHashWriter writer)
    {
        int run = start; // [run, i) is canonical as it stands and not yet written
        int pendingEmpty = 0;
        bool emitted = false;
        int i = start;
        while (i < end)
        {
            int lf = IndexOf(data, Lf, i, end);
            if (lf < 0)
            {
                // the last line has no line break: it is a line, and gets one
                WriteEmptyLines(writer, ref pendingEmpty);
                writer.Write(data, run, end - run);
                writer.WriteCrLf();
                run = i = end;
                emitted = true;
                break;
            }
            int contentEnd = lf > i && data[lf - 1] == Cr ? lf - 1 : lf;
            if (contentEnd == i)
            {
                writer.Write(data, run, i - run);
                pendingEmpty++;
                run = lf + 1;
            }
            else
            {
                WriteEmptyLines(writer, ref pendingEmpty);
                emitted = true;
                if (contentEnd == lf)
                {
                    writer.Write(data, run, lf - run);
                    writer.WriteCrLf();
                    run = lf + 1;
                }
            }
            i = lf + 1;
        }
        writer.Write(data, run, i - run);
        if (!emitted) writer.WriteCrLf();
    }

    /// <summary>
    /// §3.4.4: whitespace at line ends dropped, runs of SP and HTAB made one SP, empty lines at the end dropped. Only what
    /// changes is looked for (an HTAB, two SPs in a row, whitespace before the line break); single SPs between words and the
    /// CRLF after a non-empty line are canonical already and stay inside the run of message bytes.
    /// </summary>
    private static void RelaxedBody(byte[] data, int start, int end, DkimHashWriter writer)
    {
        int run = start; // [run, ...) is canonical as it stands and not yet written
        int pendingEmpty = 0;
        int tab = NotYet, twoSpaces = NotYet;
        int i = start;
        while (i < end)
        {
            int lf = IndexOf(data, Lf, i, end);
            int next = lf < 0 ? end : lf + 1;
            int contentEnd = lf < 0 ? end : lf > i && data[lf - 1] == Cr ? lf - 1 : lf;
            int canonicalEnd = contentEnd; // whitespace at the end of the line is dropped
            while (canonicalEnd > i && IsWsp(data[canonicalEnd - 1])) canonicalEnd--;
            if (canonicalEnd == i)
            {
                // an empty line (or only whitespace): held back until a non-empty line follows
                writer.Write(data, run, i - run);
                pendingEmpty++;
                run = i = next;
                continue;
            }
            WriteEmptyLines(writer, ref pendingEmpty);

            // Inside the line every whitespace run ends before canonicalEnd, which is not whitespace. The next HTAB and
            // the next two SPs are looked for up to the end of the body and the places kept until passed, so a line with
            // neither costs no search of its own.
            int p = i;
            while (true)
            {
                if (tab != None && tab < p) tab = IndexOf(data, Tab, p, end);
                if (twoSpaces != None && twoSpaces < p) twoSpaces = IndexOfTwoSpaces(data, p, end);
                int k = tab >= 0 && tab < canonicalEnd ? tab : int.MaxValue;
                if (twoSpaces >= 0 && twoSpaces < k && twoSpaces < canonicalEnd) k = twoSpaces;
                if (k == int.MaxValue) break;
                if (k == tab)
                    while (k > p && data[k - 1] == Sp) k--; // the run may start with a SP before the HTAB
                int q = k + 1;
                while (IsWsp(data[q])) q++;
                writer.Write(data, run, k - run);
                writer.WriteByte(Sp);
                run = p = q;
            }

            if (lf >= 0 && contentEnd + 1 == lf)
            {
                // the line ends in CRLF, which is canonical: the run goes on through it
                if (canonicalEnd < contentEnd)
                {
                    writer.Write(data, run, canonicalEnd - run);
                    run = contentEnd;
                }
            }
            else
            {
                writer.Write(data, run, canonicalEnd - run);
                writer.WriteCrLf();
                run = next;
            }
            i = next;
        }
        writer.Write(data, run, i - run);
    }

    private static bool IsWsp(byte b) => b == Sp || b == Tab;

    private static bool IsWspOrLineBreak(byte b) => b == Sp || b == Tab || b == Cr || b == Lf;

    /// <summary>A search result: none up to the end of the body; not searched yet.</summary>
    private const int None = -1, NotYet = -2;

    private static void WriteEmptyLines(DkimHashWriter writer, ref int pendingEmpty)
    {
        for (; pendingEmpty > 0; pendingEmpty--) writer.WriteCrLf();
    }

    private static int IndexOf(byte[] data, byte value, int start, int end)
    {
        int k = data.AsSpan(start, end - start).IndexOf(value);
        return k < 0 ? -1 : start + k;
    }

    private static readonly byte[] TwoSpaces = { Sp, Sp };

    private static int IndexOfTwoSpaces(byte[] data, int start, int end)
    {
        int k = data.AsSpan(start, end - start).IndexOf(TwoSpaces);
        return k < 0 ? -1 : start + k;
    }
}
