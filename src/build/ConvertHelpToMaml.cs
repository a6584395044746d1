// MSBuild inline task (RoslynCodeTaskFactory, see ModuleHelp.targets): renders platyPS-shaped cmdlet help
// markdown (docs/cmdlets/<Verb-Noun>.md) to the MAML file PowerShell's Get-Help reads
// (<Assembly>.dll-Help.xml). platyPS is not available on the build machines, so the build does it.
// Not compiled into any assembly of the module.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class ConvertHelpToMaml : Task
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    /// <summary>The markdown files, one per cmdlet.</summary>
    [Required]
    public ITaskItem[] Markdown { get; set; }

    /// <summary>The MAML file to write.</summary>
    [Required]
    public string OutputFile { get; set; }

    /// <summary>
    /// The address of a cmdlet's page, with {0} for its name: Get-Help -Online opens it. A help file's own
    /// "online version:" in its front matter wins.
    /// </summary>
    public string OnlineUriFormat { get; set; }

    public override bool Execute()
    {
        var root = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
            new XAttribute(XNamespace.Xmlns + "maml", Maml.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "command", Command.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "dev", Dev.NamespaceName));
        foreach (var item in Markdown.OrderBy(m => m.ItemSpec, StringComparer.Ordinal))
        {
            try
            {
                root.Add(CommandHelp.Parse(File.ReadAllText(item.ItemSpec), item.ItemSpec, OnlineUriFormat).ToMaml());
            }
            catch (FormatException ex)
            {
                Log.LogError(null, "MAHELP001", null, item.ItemSpec, 0, 0, 0, 0, "Cannot render cmdlet help: " + ex.Message);
            }
        }
        if (Log.HasLoggedErrors) return false;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(OutputFile)));
        var text = new XDocument(new XDeclaration("1.0", "utf-8", null), root).Declaration + Environment.NewLine + root;
        if (!File.Exists(OutputFile) || File.ReadAllText(OutputFile) != text) File.WriteAllText(OutputFile, text, new UTF8Encoding(false));
        return true;
    }

    /// <summary>One cmdlet's help, read from the markdown sections platyPS writes.</summary>
    private sealed class CommandHelp
    {
        public string Name, Synopsis, Description, Notes, OnlineUri;
        public List<string> Syntax = new List<string>();
        public List<Example> Examples = new List<Example>();
        public List<Parameter> Parameters = new List<Parameter>();
        public List<KeyValuePair<string, string>> Inputs = new List<KeyValuePair<string, string>>();
        public List<KeyValuePair<string, string>> Outputs = new List<KeyValuePair<string, string>>();
        public List<KeyValuePair<string, string>> Links = new List<KeyValuePair<string, string>>();

        public static CommandHelp Parse(string markdown, string file, string onlineUriFormat)
        {
            var lines = markdown.Replace("\r\n", "\n").Split('\n').ToList();
            int start = 0;
            var help = new CommandHelp();
            if (lines.Count > 0 && lines[0].Trim() == "---")
            {
                start = lines.FindIndex(1, l => l.Trim() == "---") + 1;
                if (start == 0) throw new FormatException("the front matter (---) is not closed");
                var online = lines.Take(start).FirstOrDefault(l => l.StartsWith("online version:", StringComparison.OrdinalIgnoreCase));
                help.OnlineUri = online?.Substring("online version:".Length).Trim();
            }
            var titleLine = lines.Skip(start).FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal));
            if (titleLine == null) throw new FormatException("no '# Verb-Noun' title");
            help.Name = titleLine.Substring(2).Trim();
            if (string.IsNullOrEmpty(help.OnlineUri) && !string.IsNullOrEmpty(onlineUriFormat)) help.OnlineUri = string.Format(onlineUriFormat, help.Name);
            var expected = Path.GetFileNameWithoutExtension(file);
            if (!string.Equals(help.Name, expected, StringComparison.OrdinalIgnoreCase))
                throw new FormatException($"the title '{help.Name}' does not match the file name '{expected}'");

            foreach (var section in Split(lines.Skip(start).ToList(), "## "))
            {
                switch (section.Key.ToUpperInvariant())
                {
                    case "SYNOPSIS": help.Synopsis = Text(section.Value); break;
                    case "DESCRIPTION": help.Description = Text(section.Value); break;
                    case "NOTES": help.Notes = Text(section.Value); break;
                    case "SYNTAX":
                        // One syntax line per parameter set; platyPS wraps long ones, so a line that does not start
                        // with the cmdlet's name continues the one before.
                        foreach (var line in CodeBlocks(section.Value).SelectMany(b => b.Split('\n')).Select(l => l.Trim()).Where(l => l.Length > 0))
                        {
                            if (help.Syntax.Count == 0 || line.StartsWith(help.Name + " ", StringComparison.OrdinalIgnoreCase) || line.Equals(help.Name, StringComparison.OrdinalIgnoreCase))
                                help.Syntax.Add(line);
                            else
                                help.Syntax[help.Syntax.Count - 1] += " " + line;
                        }
                        break;
                    case "EXAMPLES":
                        foreach (var ex in Split(section.Value, "### "))
                        {
                            var code = CodeBlocks(ex.Value).FirstOrDefault();
                            if (code == null) throw new FormatException($"example '{ex.Key}' has no code block");
                            help.Examples.Add(new Example { Title = ex.Key, Code = code, Remarks = Remarks(ex.Value) });
                        }
                        break;
                    case "PARAMETERS":
                        foreach (var p in Split(section.Value, "### "))
                        {
                            if (p.Key.Equals("CommonParameters", StringComparison.OrdinalIgnoreCase)) continue;
                            if (!p.Key.StartsWith("-", StringComparison.Ordinal)) throw new FormatException($"parameter heading '### {p.Key}' does not start with '-'");
                            var yaml = CodeBlocks(p.Value).FirstOrDefault();
                            if (yaml == null) throw new FormatException($"parameter {p.Key} has no yaml block");
                            help.Parameters.Add(Parameter.Parse(p.Key.Substring(1).Trim(), Text(WithoutCode(p.Value)), yaml));
                        }
                        break;
                    case "INPUTS": help.Inputs.AddRange(Split(section.Value, "### ").Select(s => new KeyValuePair<string, string>(s.Key, Text(s.Value)))); break;
                    case "OUTPUTS": help.Outputs.AddRange(Split(section.Value, "### ").Select(s => new KeyValuePair<string, string>(s.Key, Text(s.Value)))); break;
                    case "RELATED LINKS":
                        foreach (Match m in Regex.Matches(string.Join("\n", section.Value), @"\[([^\]]+)\]\(([^)]*)\)"))
                            help.Links.Add(new KeyValuePair<string, string>(m.Groups[1].Value, m.Groups[2].Value));
                        break;
                }
            }
            if (string.IsNullOrWhiteSpace(help.Synopsis)) throw new FormatException("the SYNOPSIS section is missing or empty");
            return help;
        }

        public XElement ToMaml()
        {
            var dash = Name.IndexOf('-');
            var command = new XElement(Command + "command",
                new XElement(Command + "details",
                    new XElement(Command + "name", Name),
                    new XElement(Command + "verb", dash > 0 ? Name.Substring(0, dash) : Name),
                    new XElement(Command + "noun", dash > 0 ? Name.Substring(dash + 1) : string.Empty),
                    DescriptionElement(Synopsis)),
                DescriptionElement(Description),
                new XElement(Command + "syntax", Syntax.Select(SyntaxItem)),
                new XElement(Command + "parameters", Parameters.Select(p => p.ToMaml(p.Position))),
                new XElement(Command + "inputTypes", Inputs.Select(i => new XElement(Command + "inputType", TypeElement(i.Key), DescriptionElement(i.Value)))),
                new XElement(Command + "returnValues", Outputs.Select(o => new XElement(Command + "returnValue", TypeElement(o.Key), DescriptionElement(o.Value)))),
                new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paragraphs(Notes))),
                new XElement(Command + "examples", Examples.Select(e => new XElement(Command + "example",
                    new XElement(Maml + "title", "-------------------------- " + e.Title + " --------------------------"),
                    new XElement(Dev + "code", e.Code),
                    new XElement(Dev + "remarks", Paragraphs(e.Remarks))))),
                // Get-Help -Online opens the first link that has an address: the cmdlet's own page comes first.
                new XElement(Command + "relatedLinks",
                    (string.IsNullOrEmpty(OnlineUri) ? Links : new[] { new KeyValuePair<string, string>("Online Version:", OnlineUri) }.Concat(Links))
                    .Select(l => new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", l.Key), new XElement(Maml + "uri", l.Value)))));
            return command;
        }

        /// <summary>One syntax line ("Verb-Noun [-A] &lt;T&gt; [-B &lt;T&gt;] [-C] [&lt;CommonParameters&gt;]") with each parameter's details.</summary>
        private XElement SyntaxItem(string line)
        {
            var item = new XElement(Command + "syntaxItem", new XElement(Maml + "name", Name));
            foreach (Match m in Regex.Matches(line, @"(?<=\s)(\[*)-(\w+)(\]?)(?:\s+<([^>]+)>)?(\]*)"))
            {
                var name = m.Groups[2].Value;
                int open = m.Groups[1].Value.Length;
                // "[-Name] <T>" is a positional parameter; "[-Switch]" (no type) is an optional named switch.
                bool isSwitch = m.Groups[4].Value.Length == 0;
                bool positional = m.Groups[3].Value.Length == 1 && !isSwitch;
                bool required = open == 0 || (open == 1 && positional && m.Groups[5].Value.Length == 0);
                var parameter = Parameters.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                    ?? RiskMitigationParameter(name);
                if (parameter == null) throw new FormatException($"syntax names -{name}, which has no entry under PARAMETERS");
                item.Add(parameter.ToMaml(positional ? parameter.Position : "named", required));
            }
            return item;
        }
    }

    /// <summary>-WhatIf and -Confirm, which platyPS writes into the syntax; described here when the markdown does not.</summary>
    private static Parameter RiskMitigationParameter(string name)
    {
        string description =
            name.Equals("WhatIf", StringComparison.OrdinalIgnoreCase) ? "Shows what would happen if the cmdlet runs. The cmdlet is not run." :
            name.Equals("Confirm", StringComparison.OrdinalIgnoreCase) ? "Prompts you for confirmation before running the cmdlet." : null;
        if (description == null) return null;
        return new Parameter
        {
            Name = name.Equals("WhatIf", StringComparison.OrdinalIgnoreCase) ? "WhatIf" : "Confirm",
            Description = description, Type = "SwitchParameter", Aliases = name.Equals("WhatIf", StringComparison.OrdinalIgnoreCase) ? "wi" : "cf",
            Position = "named", DefaultValue = "False", PipelineInput = "False", Globbing = "False", Sets = "(All)",
        };
    }

    private sealed class Example
    {
        public string Title, Code, Remarks;
    }

    private sealed class Parameter
    {
        public string Name, Description, Type, Aliases, Position, DefaultValue, PipelineInput, Globbing, Sets;
        public bool Required;
        public List<string> AcceptedValues = new List<string>();

        public static Parameter Parse(string name, string description, string yaml)
        {
            var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in yaml.Split('\n'))
            {
                var colon = line.IndexOf(':');
                if (colon <= 0) continue;
                fields[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
            }
            string Field(string key, string fallback) => fields.TryGetValue(key, out var v) && v.Length > 0 ? v : fallback;
            if (!fields.ContainsKey("Type")) throw new FormatException($"parameter -{name} has no Type in its yaml block");
            var p = new Parameter
            {
                Name = name,
                Description = description,
                Type = Field("Type", "Object"),
                Aliases = Field("Aliases", "none"),
                Position = Field("Position", "Named").Equals("Named", StringComparison.OrdinalIgnoreCase) ? "named" : Field("Position", "named"),
                DefaultValue = Field("Default value", "None"),
                PipelineInput = Field("Accept pipeline input", "False"),
                Globbing = Field("Accept wildcard characters", "False"),
                Sets = Field("Parameter Sets", "(All)"),
                Required = Field("Required", "False").StartsWith("True", StringComparison.OrdinalIgnoreCase),
            };
            var accepted = Field("Accepted values", string.Empty);
            if (accepted.Length > 0) p.AcceptedValues.AddRange(accepted.Split(',').Select(v => v.Trim()).Where(v => v.Length > 0));
            return p;
        }

        private bool IsSwitch => Type.Equals("SwitchParameter", StringComparison.OrdinalIgnoreCase);

        public XElement ToMaml(string position, bool? required = null)
        {
            var element = new XElement(Command + "parameter",
                new XAttribute("required", (required ?? Required) ? "true" : "false"),
                new XAttribute("variableLength", Type.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false"),
                new XAttribute("globbing", Globbing.StartsWith("True", StringComparison.OrdinalIgnoreCase) ? "true" : "false"),
                new XAttribute("pipelineInput", PipelineInput),
                new XAttribute("position", position),
                new XAttribute("aliases", Aliases),
                new XElement(Maml + "name", Name),
                DescriptionElement(Description));
            if (AcceptedValues.Count > 0)
            {
                element.Add(new XElement(Command + "parameterValueGroup",
                    AcceptedValues.Select(v => new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute(Command + "variableLength", "false"), v))));
            }
            if (!IsSwitch)
            {
                element.Add(new XElement(Command + "parameterValue", new XAttribute("required", "true"),
                    new XAttribute("variableLength", Type.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false"), Type));
            }
            element.Add(TypeElement(Type), new XElement(Dev + "defaultValue", DefaultValue));
            return element;
        }
    }

    private static XElement TypeElement(string type) =>
        new XElement(Dev + "type", new XElement(Maml + "name", type), new XElement(Maml + "uri"));

    private static XElement DescriptionElement(string text) => new XElement(Maml + "description", Paragraphs(text));

    private static IEnumerable<XElement> Paragraphs(string text) =>
        (text ?? string.Empty).Split(new[] { "\n\n" }, StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Trim()).Where(p => p.Length > 0)
            .Select(p => new XElement(Maml + "para", p));

    /// <summary>Splits lines into (heading, body) by a heading prefix, ignoring headings inside code fences.</summary>
    private static List<KeyValuePair<string, List<string>>> Split(List<string> lines, string prefix)
    {
        var result = new List<KeyValuePair<string, List<string>>>();
        bool inCode = false;
        foreach (var line in lines)
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal)) inCode = !inCode;
            if (!inCode && line.StartsWith(prefix, StringComparison.Ordinal))
            {
                result.Add(new KeyValuePair<string, List<string>>(line.Substring(prefix.Length).Trim(), new List<string>()));
            }
            else if (result.Count > 0)
            {
                result[result.Count - 1].Value.Add(line);
            }
        }
        return result;
    }

    private static List<string> CodeBlocks(List<string> lines)
    {
        var blocks = new List<string>();
        StringBuilder current = null;
        foreach (var line in lines)
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                if (current == null) { current = new StringBuilder(); continue; }
                blocks.Add(current.ToString().TrimEnd('\n'));
                current = null;
                continue;
            }
            current?.Append(line).Append('\n');
        }
        return blocks;
    }

    private static List<string> WithoutCode(List<string> lines)
    {
        var result = new List<string>();
        bool inCode = false;
        foreach (var line in lines)
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal)) { inCode = !inCode; continue; }
            if (!inCode) result.Add(line);
        }
        return result;
    }

    /// <summary>
    /// Markdown prose as MAML paragraphs: lines of one paragraph joined, blank lines separating paragraphs, and
    /// each list item ("- " or "* ") a paragraph of its own that starts with "- ", so that Get-Help shows a list.
    /// </summary>
    private static string Text(List<string> lines)
    {
        var paragraphs = new List<string>();
        var current = new List<string>();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            bool item = line.StartsWith("- ", StringComparison.Ordinal) || line.StartsWith("* ", StringComparison.Ordinal);
            if (line.Length == 0 || item)
            {
                if (current.Count > 0) paragraphs.Add(string.Join(" ", current));
                current.Clear();
                if (item) current.Add("- " + line.Substring(2).Trim());
                continue;
            }
            current.Add(line);
        }
        if (current.Count > 0) paragraphs.Add(string.Join(" ", current));
        return string.Join("\n\n", paragraphs);
    }

    /// <summary>An example's remarks: the prose after its code, and any further code block (its sample output) kept line by line.</summary>
    private static string Remarks(List<string> lines)
    {
        var parts = new List<string>();
        var prose = new List<string>();
        List<string> block = null;
        int fences = 0; // 1 while inside the example's own code, 2 after it
        foreach (var line in lines)
        {
            bool fence = line.TrimStart().StartsWith("```", StringComparison.Ordinal);
            if (fences < 2)
            {
                if (fence) fences++;
                continue;
            }
            if (fence && block == null) { parts.Add(Text(prose)); prose.Clear(); block = new List<string>(); }
            else if (fence) { parts.Add(string.Join("\n", block).Trim('\n')); block = null; }
            else if (block != null) block.Add(line.TrimEnd());
            else prose.Add(line);
        }
        parts.Add(Text(prose));
        return string.Join("\n\n", parts.Where(p => p.Trim().Length > 0));
    }
}
