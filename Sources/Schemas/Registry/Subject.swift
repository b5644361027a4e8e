/// A loaded subject: its `subject.yaml`, every version (v1…vN) and the upcaster to vN.
public struct Subject: Sendable {
    /// The parsed `subject.yaml`.
    public let definition: SubjectDefinition
    /// The versions, v1 first; never empty.
    public let versions: [RegisteredSchema]
    /// Applies the declared upcast rules up to the newest version.
    public let upcaster: Upcaster

    /// The type name.
    public var name: String { definition.name }

    /// The newest version.
    public var latest: RegisteredSchema { versions[versions.count - 1] }

    /// Version `version` if published.
    public func version(_ version: Int) -> RegisteredSchema? {
        version >= 1 && version <= versions.count ? versions[version - 1] : nil
    }
}
