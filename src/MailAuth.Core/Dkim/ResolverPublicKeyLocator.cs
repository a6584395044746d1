using System;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace MailAuth.Dkim;

/// <summary>
/// Gives MimeKit's DKIM and ARC verifiers their keys from our <see cref="IDnsResolver"/> (RFC 6376 §3.6.2),
/// so they ask the same servers, with the same timeouts and cache, as the rest of MailAuth.
/// A failed lookup throws <see cref="DkimKeyUnavailableException"/>, which callers report as a temporary error.
/// </summary>
internal sealed class ResolverPublicKeyLocator : DkimPublicKeyLocatorBase
{
    private readonly IDnsResolver _resolver;

    public ResolverPublicKeyLocator(IDnsResolver resolver) => _resolver = resolver;

    public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        LocatePublicKeyAsync(methods, domain, selector, cancellationToken).GetAwaiter().GetResult();

    public override async Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default)
    {
        var answer = await DkimKeyLookup.QueryAsync(_resolver, selector, domain, cancellationToken).ConfigureAwait(false);
        if (answer.IsError) throw new DkimKeyUnavailableException(answer.Describe(), temporary: true);
        var record = DkimKeyLookup.Choose(answer, out _);
        if (record == null) throw new DkimKeyUnavailableException($"no key record at {answer.QueryName}", temporary: false);
        return GetPublicKey(record.Text);
    }
}

/// <summary>A DKIM key could not be had: temporarily (DNS failure) or for good (no record).</summary>
internal sealed class DkimKeyUnavailableException : Exception
{
    public DkimKeyUnavailableException(string message, bool temporary) : base(message) => Temporary = temporary;

    public bool Temporary { get; }
}
