import Testing

@testable import Schemas

/// The constant character masks of the URI checker hold exactly their characters.
@Suite struct URIClassTests {
    static let letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    static let digits = "0123456789"
    static let unreserved = letters + digits + "-._~"
    static let subDelimiters = "!$&'()*+,;="

    static let cases: [(name: String, set: URIClass, characters: String)] = {
        let unreservedAndSubDelimiters = unreserved + subDelimiters
        return [
            ("delimiter", URIClass.delimiter, "/?#:"),
            ("authorityEnd", URIClass.authorityEnd, "/?#"),
            ("scheme", URIClass.scheme, letters + digits + "+-."),
            ("digit", URIClass.digit, digits),
            ("registeredName", URIClass.registeredName, unreservedAndSubDelimiters),
            ("userInfo", URIClass.userInfo, unreservedAndSubDelimiters + ":"),
            ("pathCharacter", URIClass.pathCharacter, unreservedAndSubDelimiters + ":@"),
        ]
    }()

    @Test func eachMaskHoldsItsCharacters() {
        for (name, set, characters) in Self.cases {
            let members = Set(characters.utf8)
            for byte in UInt8.min...UInt8.max {
                #expect(set.contains(byte) == members.contains(byte), "\(name): byte \(byte)")
            }
        }
    }
}
