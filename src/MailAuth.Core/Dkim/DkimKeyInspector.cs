using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Common;

namespace MailAuth.Dkim;

/// <summary>
/// Looks up and judges the DKIM key record of a selector (RFC 6376 §3.6): follows CNAMEs (Amazon SES
/// Easy DKIM), decodes the key, and reports revoked, weak (RFC 8301 §3.2), testing and malformed keys
/// as findings rather than exceptions.
/// </summary>
public sealed class DkimKeyInspector
{
    /// <summary>The error id for a selector that is not a valid DNS label sequence.</summary>
    public const string InvalidSelectorErrorId = "InvalidDkimSelector";

    private readonly IDnsResolver _resolver;

    public DkimKeyInspector(IDnsResolver resolver) => _resolver = resolver;

    /// <summary>
    /// Inspects the key of <paramref name="selector"/> at <paramref name="domain"/> (already normalized).
    /// Throws <see cref="MailAuthInputException"/> only for a selector that cannot form a DNS name.
    /// </summary>
    public async Task<DkimRecordResult> InspectAsync(string domain, string selector, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(selector) || !DomainName.TryNormalize(DkimKeyLookup.KeyName(selector.Trim(), domain), out var name, out var error))
            throw new MailAuthInputException(InvalidSelectorErrorId, $"\"{selector}\" is not a valid DKIM selector: a selector is one or more DNS labels (RFC 6376 §3.1).", selector);
        selector = name.Substring(0, name.Length - ("._domainkey." + domain).Length);

        var findings = new List<Finding>();
        var answer = await _resolver.QueryAsync(name, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
        var cnameTarget = answer.CnameChain.Count > 0 ? answer.CanonicalName : null;
        if (answer.IsError)
        {
            findings.Add(Finding.Error("DkimKeyLookupFailed",
                $"Could not look up the DKIM key {name}: {answer.Describe()}. This says nothing about whether the key exists; receivers treat it as a temporary error. Try again, or ask another server with -Server.",
                "RFC 6376 §6.1.2", name));
            return new DkimRecordResult(domain, selector, name, RecordStatus.Error, answer.ErrorKind, cnameTarget, null, findings);
        }
        if (cnameTarget != null)
            findings.Add(Finding.Info("DkimKeyIsCname",
                $"{name} is a CNAME to {cnameTarget}; the key is published there (as Amazon SES Easy DKIM does). Keep the CNAME as your provider gave it.",
                "RFC 6376 §3.6.2.1", name));

        var key = DkimKeyLookup.Choose(answer, null, out int keyCount);
        if (key == null)
        {
            findings.Add(Finding.Error("DkimKeyNotFound",
                $"There is no DKIM key at {name}{(cnameTarget != null ? " (CNAME to " + cnameTarget + ")" : "")}, so signatures with s={selector} d={domain} fail (PermError). Publish the TXT record (or CNAME) your mail provider gives for this selector, or check the selector name.",
                "RFC 6376 §6.1.2", name));
            return new DkimRecordResult(domain, selector, name, RecordStatus.NotFound, DnsErrorKind.None, cnameTarget, null, findings);
        }

        if (keyCount > 1)
            findings.Add(Finding.Warning("DkimMultipleKeyRecords",
                $"{name} has {keyCount} DKIM key records; a verifier may use any one of them, so signatures fail at random. Keep one key record per selector; use a new selector for a new key.",
                "RFC 6376 §3.6.2.2", name));

        Judge(key, name, findings);
        return new DkimRecordResult(domain, selector, name, RecordStatus.Found, DnsErrorKind.None, cnameTarget, key, findings);
    }

    private static void Judge(DkimKeyRecord key, string name, List<Finding> findings)
    {
        if (!key.LooksLikeKey)
        {
            findings.Add(Finding.Error("DkimNotAKeyRecord",
                $"The TXT record at {name} is not a DKIM key record (it has no p= tag): \"{DkimTagList.Shorten(key.Text)}\". Replace it with the key record \"v=DKIM1; k=rsa; p=<base64 public key>\".",
                "RFC 6376 §3.6.1", name));
            return;
        }
        if (key.Error != null)
            findings.Add(Finding.Error("DkimKeySyntax",
                $"The DKIM key record at {name} cannot be used: {key.Error}. Publish it as \"v=DKIM1; k=rsa; p=<base64 public key>\" (v= first, or omitted).",
                "RFC 6376 §3.6.1", name));
        if (key.Version == null && key.Error == null)
            findings.Add(Finding.Info("DkimKeyNoVersion",
                $"The key record at {name} has no v=DKIM1 tag. That is allowed (v= is optional; Amazon SES keys omit it).",
                "RFC 6376 §3.6.1", name));
        if (key.KeyType != "rsa" && key.KeyType != "ed25519")
        {
            findings.Add(Finding.Error("DkimKeyUnknownType",
                $"The key record at {name} has k={key.KeyType}; verifiers know only rsa and ed25519, so signatures with this key fail. Use k=rsa (or k=ed25519 alongside an RSA selector).",
                "RFC 6376 §3.6.1, RFC 8463 §4", name));
            return;
        }
        if (key.Revoked)
        {
            findings.Add(Finding.Warning("DkimKeyRevoked",
                $"The key at {name} is revoked (p= is empty): every signature with this selector fails. If the selector is still in use, publish its current public key; otherwise stop signing with it.",
                "RFC 6376 §3.6.1", name));
        }
        else if (key.KeyError != null)
        {
            bool base64 = key.KeyError.Contains("base64");
            findings.Add(Finding.Error(base64 ? "DkimKeyInvalidBase64" : "DkimKeyInvalid",
                $"The public key at {name} cannot be decoded: {key.KeyError}. Every signature with this selector fails. Copy the key again from your signer (one base64 string, split only into 255-character TXT strings).",
                "RFC 6376 §3.6.1", name));
        }
        else if (key.PublicKey != null && key.KeyType == "rsa")
        {
            int bits = key.PublicKey.KeySize;
            if (bits < 1024)
                findings.Add(Finding.Error("DkimKeyTooShort",
                    $"The RSA key at {name} has {bits} bits; verifiers reject keys shorter than 1024 bits, so every signature fails. Generate a 2048-bit key under a new selector and publish it.",
                    "RFC 8301 §3.2", name));
            else if (bits < 2048)
                findings.Add(Finding.Warning("DkimKeyWeak",
                    $"The RSA key at {name} has {bits} bits; 1024-bit keys are the minimum and considered weak. Rotate to a 2048-bit key under a new selector.",
                    "RFC 8301 §3.2", name));
        }

        if (key.HashAlgorithms.Count > 0 && !key.HashAlgorithms.Contains("sha256"))
            findings.Add(Finding.Error("DkimKeySha1Only",
                $"The key at {name} allows only h={string.Join(":", key.HashAlgorithms)}; signatures must use SHA-256. Remove h= or set h=sha256.",
                "RFC 8301 §3.1", name));
        if (key.ServiceTypes.Count > 0 && !key.ServiceTypes.Contains("*") && !key.ServiceTypes.Contains("email"))
            findings.Add(Finding.Error("DkimKeyServiceType",
                $"The key at {name} has s={string.Join(":", key.ServiceTypes)}, which excludes email, so it cannot verify mail signatures. Remove s= or set s=email.",
                "RFC 6376 §3.6.1", name));
        if (key.Testing)
            findings.Add(Finding.Warning("DkimKeyTesting",
                $"The key at {name} has t=y (testing): receivers may treat its signatures like unsigned mail. Remove t=y once signing works.",
                "RFC 6376 §3.6.1", name));
        foreach (var flag in key.Flags.Where(f => f != "y" && f != "s"))
            findings.Add(Finding.Info("DkimKeyUnknownFlag",
                $"The key at {name} has the unknown flag t={flag}, which verifiers ignore.",
                "RFC 6376 §3.6.1", name));
    }
}
