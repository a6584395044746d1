using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace MailAuth.Host;

/// <summary>
/// Binds the command-line arguments after <c>-File script.ps1</c> to the script's parameters the way a user
/// expects from pwsh: <c>-Name value</c> and <c>-Name:value</c>; a switch is set by its name alone (or
/// <c>-Switch:$false</c>); a value for an array parameter may list items separated by commas
/// (<c>-Domain a.example,b.example</c>); names may be abbreviated to a unique prefix or given as an alias;
/// anything else, and everything after <c>--</c>, is positional.
/// </summary>
public static class ScriptArguments
{
    public static void Bind(System.Management.Automation.PowerShell ps, CommandInfo script, IReadOnlyList<string> arguments)
    {
        var parameters = SafeParameters(script);
        bool positionalOnly = false;
        for (int i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (!positionalOnly && argument == "--") { positionalOnly = true; continue; }
            if (positionalOnly || !IsParameterName(argument))
            {
                ps.AddArgument(argument);
                continue;
            }

            var colon = argument.IndexOf(':');
            var name = colon > 0 ? argument.Substring(1, colon - 1) : argument.Substring(1);
            string inline = colon > 0 ? argument.Substring(colon + 1) : null;
            var parameter = Find(parameters, name);
            var type = parameter?.ParameterType;

            if (type == typeof(SwitchParameter) || type == typeof(bool) || (parameter == null && inline == null && NextIsNameOrEnd(arguments, i)))
            {
                ps.AddParameter(parameter?.Name ?? name, inline == null || ParseBool(inline, name));
                continue;
            }
            if (inline == null)
            {
                if (i + 1 >= arguments.Count) throw new ArgumentException($"-{name} needs a value.");
                inline = arguments[++i];
            }
            object value = type != null && type.IsArray
                ? inline.Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).ToArray()
                : inline;
            ps.AddParameter(parameter?.Name ?? name, value);
        }
    }

    private static Dictionary<string, ParameterMetadata> SafeParameters(CommandInfo script)
    {
        try { return script?.Parameters != null ? new Dictionary<string, ParameterMetadata>(script.Parameters, StringComparer.OrdinalIgnoreCase) : new(); }
        catch (Exception ex) when (ex is ParseException || ex is RuntimeException)
        {
            // A script that does not parse: let PowerShell report that when it runs.
            return new Dictionary<string, ParameterMetadata>();
        }
    }

    private static ParameterMetadata Find(Dictionary<string, ParameterMetadata> parameters, string name)
    {
        if (parameters.TryGetValue(name, out var exact)) return exact;
        var byAlias = parameters.Values.FirstOrDefault(p => p.Aliases.Contains(name, StringComparer.OrdinalIgnoreCase));
        if (byAlias != null) return byAlias;
        var byPrefix = parameters.Values.Where(p => p.Name.StartsWith(name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (byPrefix.Count > 1) throw new ArgumentException($"-{name} is ambiguous: it could be -{string.Join(", -", byPrefix.Select(p => p.Name))}.");
        return byPrefix.SingleOrDefault();
    }

    private static bool IsParameterName(string argument) =>
        argument.Length > 1 && argument[0] == '-' && (char.IsLetter(argument[1]) || argument[1] == '_');

    private static bool NextIsNameOrEnd(IReadOnlyList<string> arguments, int i) => i + 1 >= arguments.Count || IsParameterName(arguments[i + 1]);

    private static bool ParseBool(string text, string name) => text.Trim().TrimStart('$').ToLowerInvariant() switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => throw new ArgumentException($"-{name}:{text}: use -{name}:$true or -{name}:$false."),
    };
}
