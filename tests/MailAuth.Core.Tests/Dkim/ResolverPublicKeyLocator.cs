using System;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dkim;
using MailAuth.Dns;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace MailAuth.Tests.Dkim;

/// <summary>
/// Gives MimeKit's DkimVerifier, an independent oracle in the cross-checks, its keys from a MailAuth
/// <see cref="IDnsResolver"/> (RFC 6376 §3.6.2), so that it asks the same test server as MailAuth.
/// </summary>
internal sealed class ResolverPublicKeyLocator : DkimPublicKeyLocatorBase
{
    private readonly IDnsResolver _resolver;

    public ResolverPublicKeyLocator(IDnsResolver resolver) => _resolver = resolver;

    public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        LocatePublicKeyAsync(methods, domain, selector, cancellationToken).GetAwaiter().GetResult();

    public override async Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default)
    {
        var answer = await _resolver.QueryAsync($"{selector}._domainkey.{domain}", DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
        if (answer.IsError) throw new InvalidOperationException(answer.Describe());
        foreach (var text in answer.TxtStrings())
            if (DkimKeyRecord.Parse(text).LooksLikeKey) return GetPublicKey(text);
        throw new InvalidOperationException($"no key record at {answer.QueryName}");
    }
}
