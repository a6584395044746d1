using System;
using System.Globalization;
using System.Linq;
using CsCheck;

namespace MailAuth.Tests.Fuzz;

/// <summary>
/// What the parser fuzz tests share: how long they run, and generators of text and bytes that look enough
/// like the real input to reach deep into a parser (known tokens mixed with random characters, real samples
/// mutated). The default run is bounded so that this folder takes about a minute on two cores; set
/// MAILAUTH_FUZZ_ITERATIONS for a longer run by hand (every property then runs that many times).
/// </summary>
internal static class FuzzRun
{
    /// <summary>Iterations per property: MAILAUTH_FUZZ_ITERATIONS, or <paramref name="bounded"/>.</summary>
    public static long Iterations(long bounded) =>
        long.TryParse(Environment.GetEnvironmentVariable("MAILAUTH_FUZZ_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : bounded;

    /// <summary>Characters that matter to the mail-authentication grammars, plus controls, 8-bit and non-BMP text.</summary>
    private static readonly Gen<char> Interesting = Gen.OneOf(
        Gen.Char["abcdefxyzABZ0123456789"],
        Gen.Char[" \t\r\n;:=.,-_+~?!/%{}()[]<>@\"\\'*|&#"],
        Gen.Char['\0', '\u001f'],
        Gen.Char['\u0080', '\u00ff'],
        Gen.Char["\u2028\ufeff\ufffd\ud800\udc00\u0130\u212a"]);

    /// <summary>Short runs of interesting characters.</summary>
    public static readonly Gen<string> Noise = Gen.String[Interesting, 0, 12];

    /// <summary>Text built from <paramref name="tokens"/> and noise, joined by <paramref name="separators"/>.</summary>
    public static Gen<string> Tokens(string[] tokens, params string[] separators) =>
        Gen.Select(Gen.OneOf(Gen.OneOfConst(tokens), Gen.OneOfConst(tokens), Noise).Array[0, 24], Gen.OneOfConst(separators).Array[24])
            .Select((parts, seps) => string.Concat(parts.Select((p, i) => i == 0 ? p : seps[i] + p)));

    /// <summary>Any text at all: wholly random strings, and token soup.</summary>
    public static Gen<string> AnyText(string[] tokens, params string[] separators) =>
        Gen.OneOf(Gen.String, Noise, Tokens(tokens, separators));

    /// <summary><paramref name="sample"/> with a few random edits: bytes set or flipped, a run cut out, a slice duplicated, the end cut off.</summary>
    public static Gen<byte[]> Mutations(byte[] sample) =>
        Gen.Select(Gen.Int[0, 4].Array[1, 6], Gen.Int[0, int.MaxValue].Array[6], Gen.Byte.Array[6]).Select((kinds, positions, values) =>
        {
            var data = (byte[])sample.Clone();
            for (int k = 0; k < kinds.Length && data.Length > 0; k++)
            {
                int at = positions[k] % data.Length;
                int len = Math.Min(data.Length - at, 1 + positions[(k + 1) % 6] % 64);
                switch (kinds[k])
                {
                    case 0: data[at] = values[k]; break;
                    case 1: data[at] ^= (byte)(1 << (values[k] & 7)); break;
                    case 2: data = data.Take(at).Concat(data.Skip(at + len)).ToArray(); break;
                    case 3: data = data.Take(at + len).Concat(data.Skip(at)).ToArray(); break;
                    default: data = data.Take(at).ToArray(); break;
                }
            }
            return data;
        });
}
