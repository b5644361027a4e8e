/// The reference of `topology.yaml` generated from the specs: steps, sections and functions, as terminal
/// text (`plantstream describe ...`) or as Markdown (the generated part of docs/topology.md).
public enum TopologyReference {
    /// Output format.
    public enum Format: Sendable {
        case text
        case markdown
    }

    /// Marks the start of the generated part of docs/topology.md.
    public static let beginMarker = "<!-- BEGIN GENERATED REFERENCE (plantstream describe all --markdown) -->"
    /// Marks the end of the generated part of docs/topology.md.
    public static let endMarker = "<!-- END GENERATED REFERENCE -->"

    /// The reference of every step.
    public static func steps(_ specs: [StepSpec] = StepSpec.builtIn, format: Format) -> String {
        specs.map { step($0, format: format) }.joined(separator: "\n")
    }

    /// The reference of one step.
    public static func step(_ spec: StepSpec, format: Format) -> String {
        switch format {
        case .markdown:
            var text = "### \(spec.name)\n\n\(spec.summary)\n\n"
            if !spec.details.isEmpty { text += spec.details + "\n\n" }
            text += optionTable(spec.object)
            if let shorthand = spec.object.shorthand {
                text += "\nA bare value is short for `\(shorthand)`.\n"
            }
            if !spec.example.isEmpty { text += "\n```yaml\n\(spec.example)\n```\n" }
            return text
        case .text:
            var text = "\(spec.name) — \(spec.summary)\n"
            if !spec.details.isEmpty { text += wrap(spec.details, indent: "  ") }
            text += "  options:\n" + optionLines(spec.object, prefix: "", indent: "    ")
            if !spec.example.isEmpty {
                text += "  example:\n"
                for line in spec.example.split(separator: "\n", omittingEmptySubsequences: false) {
                    text += "    \(line)\n"
                }
            }
            return text
        }
    }

    /// The reference of the top level and every section.
    public static func sections(format: Format) -> String {
        TopologySpec.sections.map { spec in
            switch format {
            case .markdown:
                let title = spec.name == "topology" ? "top level" : spec.name
                return "### \(title)\n\n" + optionTable(spec)
            case .text:
                return "\(spec.name):\n" + optionLines(spec, prefix: "", indent: "  ")
            }
        }.joined(separator: "\n")
    }

    /// The reference of the expression functions.
    public static func functions(format: Format) -> String {
        switch format {
        case .markdown:
            var text = "| function | does |\n|---|---|\n"
            for function in ExpressionFunction.all {
                text += "| `\(function.signature)` | \(escape(function.summary)) |\n"
            }
            text += "| `sum count min max first last` | window aggregates only (under `aggregates:`) |\n"
            return text
        case .text:
            var text = ""
            for function in ExpressionFunction.all {
                text += "  \(function.signature.padding(toLength: 44))\(function.summary)\n"
            }
            text += "  \("sum|count|min|max|first|last(x)".padding(toLength: 44))window aggregates only\n"
            return text
        }
    }

    /// The generated part of docs/topology.md: sections, steps and functions, between the markers.
    public static func markdownDocument(_ specs: [StepSpec] = StepSpec.builtIn) -> String {
        """
        \(beginMarker)
        ## Reference (generated)

        Generated from the specs the loader parses and lints with; do not edit by hand — run
        `plantstream describe all --markdown` and paste, or let `TopologyTests` tell you it is stale.

        \(sections(format: .markdown))
        ## Steps

        \(steps(specs, format: .markdown))
        ## Functions

        \(functions(format: .markdown))
        \(endMarker)
        """
    }

    private static func optionTable(_ spec: ObjectSpec) -> String {
        var text = "| option | type | default | description |\n|---|---|---|---|\n"
        for row in rows(spec, prefix: "") {
            text += "| `\(row.name)` | \(escape(row.type)) | \(escape(row.defaultText)) | \(escape(row.summary)) |\n"
        }
        if !spec.exactlyOneOf.isEmpty {
            text +=
                "\n"
                + spec.exactlyOneOf.map { "Exactly one of " + $0.map { "`\($0)`" }.joined(separator: ", ") + "." }
                .joined(separator: " ") + "\n"
        }
        return text
    }

    private static func optionLines(_ spec: ObjectSpec, prefix: String, indent: String) -> String {
        var text = ""
        for row in rows(spec, prefix: prefix) {
            let head = "\(row.name) (\(row.defaultText))"
            text += indent + head + "\n" + indent + "    " + row.type + " — " + row.summary + "\n"
        }
        for group in spec.exactlyOneOf {
            text += indent + "exactly one of: " + group.joined(separator: ", ") + "\n"
        }
        return text
    }

    private struct Row {
        var name: String
        var type: String
        var defaultText: String
        var summary: String
    }

    private static func rows(_ spec: ObjectSpec, prefix: String) -> [Row] {
        var result: [Row] = []
        for option in spec.options {
            let name = spec.wholeMapping == option.name ? "(the mapping itself)" : prefix + option.name
            let owner = String(prefix.dropLast())
            let defaultText =
                option.isRequired
                ? (owner.isEmpty ? "required" : "required in \(owner)") : option.defaultValue ?? "—"
            result.append(
                Row(name: name, type: option.type.documentation, defaultText: defaultText, summary: option.summary))
            if case .object(let nested) = option.type,
                !TopologySpec.sections.contains(where: { $0.name == nested.name })
            {
                result += rows(nested, prefix: prefix + option.name + ".")
            }
        }
        return result
    }

    private static func escape(_ text: String) -> String {
        text.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|")
    }

    private static func wrap(_ text: String, indent: String, width: Int = 100) -> String {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width - indent.count {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines.map { indent + $0 + "\n" }.joined()
    }
}

extension String {
    fileprivate func padding(toLength length: Int) -> String {
        count >= length ? self + " " : self + String(repeating: " ", count: length - count)
    }
}
