using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using MailAuth.Common;

namespace MailAuth.Ses;

/// <summary>
/// Validation of Easy DKIM tokens: each token becomes a DKIM selector (RFC 6376 §3.1), so it must be
/// one DNS label of letters and digits; SES issues three per identity.
/// </summary>
public static class SesDkimToken
{
    /// <summary>ErrorId for a token that cannot be a selector.</summary>
    public const string InvalidTokenErrorId = "SesInvalidDkimToken";

    /// <summary>ErrorId for a token list that is not the three tokens SES issues.</summary>
    public const string TokenCountErrorId = "SesDkimTokenCount";

    private static readonly Regex Label = new Regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant);

    /// <summary>Returns the tokens lower-cased, or throws <see cref="MailAuthInputException"/> naming the bad one.</summary>
    public static IReadOnlyList<string> Validate(IEnumerable<string> tokens)
    {
        var list = (tokens ?? Enumerable.Empty<string>()).Select(t => (t ?? string.Empty).Trim().ToLowerInvariant()).ToList();
        foreach (var token in list)
        {
            if (!Label.IsMatch(token))
                throw new MailAuthInputException(InvalidTokenErrorId,
                    $"'{token}' is not an Easy DKIM token: a token is one DNS label of letters and digits (SES issues 32-character tokens such as 'eogp72tvvmnugysm4vjttzghjnmzww36').", token);
        }
        if (list.Count != 3 || list.Distinct().Count() != 3)
            throw new MailAuthInputException(TokenCountErrorId,
                $"Easy DKIM needs the three distinct tokens SES issued for the identity; got {list.Count}{(list.Distinct().Count() != list.Count ? " with repeats" : string.Empty)}.",
                string.Join(",", list));
        return list;
    }
}
