using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using MailAuth.Ses;

namespace MailAuth.PowerShell;

/// <summary>
/// Tab completion for parameters whose values are a known list: each completer offers the values that
/// start with what was typed (case-insensitive), each once, quoted when they hold a space.
/// </summary>
public abstract class ValueListCompleter : IArgumentCompleter
{
    /// <summary>The values to offer, in the order shown.</summary>
    protected abstract IEnumerable<string> Values();

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return Values()
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Where(v => v.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Select(v => new CompletionResult(v.IndexOf(' ') >= 0 ? "'" + v.Replace("'", "''") + "'" : v, v, CompletionResultType.ParameterValue, v))
            .ToList();
    }
}

/// <summary>-Region: the AWS Regions where Amazon SES sends mail.</summary>
public sealed class SesRegionCompleter : ValueListCompleter
{
    protected override IEnumerable<string> Values() => SesRegion.All.Select(r => r.Name);
}

/// <summary>-ProfileName: the profiles of the shared AWS config and credentials files (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE).</summary>
public sealed class AwsProfileCompleter : ValueListCompleter
{
    protected override IEnumerable<string> Values() => AwsProfileNames.Read();
}

/// <summary>-FailureOptions: the DMARC fo= values (RFC 9989 §4.7): 0, 1, d and s.</summary>
public sealed class FailureOptionsCompleter : ValueListCompleter
{
    protected override IEnumerable<string> Values() => new[] { "0", "1", "d", "s" };
}

/// <summary>-BehaviorOnMxFailure: UseDefaultValue and RejectMessage, once each (the API's spellings are accepted, not offered).</summary>
public sealed class BehaviorOnMxFailureCompleter : ValueListCompleter
{
    protected override IEnumerable<string> Values() => new[] { "UseDefaultValue", "RejectMessage" };
}

/// <summary>
/// Accepts -BehaviorOnMxFailure as UseDefaultValue or RejectMessage in any case, and the API's spellings
/// USE_DEFAULT_VALUE and REJECT_MESSAGE (AWS Tools' objects bind by property name), without a ValidateSet
/// that would offer each value twice in tab completion.
/// </summary>
public sealed class ValidateBehaviorOnMxFailureAttribute : ValidateEnumeratedArgumentsAttribute
{
    protected override void ValidateElement(object element)
    {
        var text = element?.ToString();
        if (string.IsNullOrEmpty(text)) return;
        var v = text.Replace("_", string.Empty);
        if (v.Equals("UseDefaultValue", StringComparison.OrdinalIgnoreCase) || v.Equals("RejectMessage", StringComparison.OrdinalIgnoreCase)) return;
        throw new ValidationMetadataException($"'{text}' is not a BehaviorOnMxFailure: use UseDefaultValue or RejectMessage.");
    }
}

/// <summary>-Action of a change: Add, Replace, Delete (DnsChange.Action).</summary>
public sealed class DnsChangeActionCompleter : ValueListCompleter
{
    protected override IEnumerable<string> Values() => new[] { "Add", "Replace", "Delete" };
}

/// <summary>-Action of ConvertTo-Route53ChangeBatch for records: UPSERT, CREATE, DELETE; Add, Replace and Delete for changes by property name.</summary>
public sealed class Route53ChangeActionCompleter : ValueListCompleter
{
    protected override IEnumerable<string> Values() => new[] { "UPSERT", "CREATE", "DELETE", "Add", "Replace" };
}
