import Foundation
@testable import PropcastStore
import Testing

/// The store's number arrays, read as JSONDecoder reads them.
@Suite struct JSONNumberArrayTests {
    @Test func agreesWithJSONDecoderOnNumberArrays() throws {
        let samples = ["[]", "[1]", "[1.5,-2,3e-1]", " [ 0.0 , 1E5 , -0.25e+2 ] ", "[92.5,26.8,25.1,4.2,33]",
                       "[1e308,5e-324,123456789012345678]", "[0.1,0.2,0.30000000000000004]"]
        for text in samples {
            let expected = try JSONDecoder().decode([Double].self, from: Data(text.utf8))
            let parsed = try #require(JSONNumberArray.parse(text), "\(text)")
            #expect(parsed.map(\.bitPattern) == expected.map(\.bitPattern), "\(text)")
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let values = (0..<25).map { _ in Double.random(in: -1e6...1e6, using: &generator) }
            let text = String(decoding: try JSONEncoder().encode(values), as: UTF8.self)
            #expect(JSONNumberArray.parse(text)?.map(\.bitPattern) == values.map(\.bitPattern), "\(text)")
        }
    }

    @Test func anythingButAnArrayOfJSONNumbersIsRefused() {
        for text in ["", "[", "]", "[1,]", "[,1]", "[1 2]", "[NaN]", "[Infinity]", "[+1]", "[0x10]", "[1.]", "[.5]", "[1e]",
                     "[1e+]", "[\"1\"]", "[1]x", "1", "[[1]]", "[null]", "[-]", "[1-2]"] {
            #expect(JSONNumberArray.parse(text) == nil, "\(text)")  // (JSONDecoder itself lets "[1,]" through)
        }
    }
}
