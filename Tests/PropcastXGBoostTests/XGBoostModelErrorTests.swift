import Foundation
import PropcastXGBoost
import PropcastTestSupport
import Testing

/// Bad model files fail with an error that names the file and says what and where.
@Suite struct XGBoostModelErrorTests {
    @Test func missingFileNamesThePath() {
        let path = "/nonexistent/propcast/xgboost_v1.json"
        #expect(throws: XGBoostModelError(.unreadable, "file not found", source: "model file \(path)")) {
            try XGBoostModel.load(contentsOf: path)
        }
        let error = XGBoostModelError(.unreadable, "file not found", source: "model file \(path)")
        #expect(error.description == "model file \(path): file not found (check the path and permissions)")
    }

    @Test func truncatedFileNamesThePathAndTheOffset() throws {
        let directory = try TemporaryDirectory(prefix: "xgb-error")
        defer { directory.remove() }
        let path = directory.file("truncated.json")
        let json = TinyModel().json
        try String(json.prefix(300)).write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(throws: XGBoostModelError.self) { try XGBoostModel.load(contentsOf: path) }
        #expect(error.code == .malformedJSON)
        #expect(error.description == "model file \(path): unexpected end of input (truncated JSON?) at byte offset 300 "
            + "(the file is damaged or truncated; copy it again or retrain with Ops/train_xgboost.py)")
    }

    @Test func everyTruncationIsRejectedWithAnOffsetNeverACrash() {
        let bytes = Array(TinyModel().json.utf8)
        for length in 0..<bytes.count {
            do {
                _ = try XGBoostModel(jsonData: Array(bytes[0..<length]), version: "t")
                Issue.record("a model truncated to \(length) bytes was accepted")
            } catch let error as XGBoostModelError {
                #expect(error.code == .malformedJSON, "length \(length): \(error)")
                #expect(error.detail.contains("at byte offset"), "length \(length): \(error)")
            } catch {
                Issue.record("length \(length): unexpected error \(error)")
            }
        }
    }

    @Test func notJSONIsRejectedAtOffsetZero() {
        #expect(throws: XGBoostModelError(.malformedJSON, "expected '{', found 'h' at byte offset 0")) {
            try XGBoostModel(jsonData: Array("hello".utf8), version: "t")
        }
        #expect(throws: XGBoostModelError(.malformedJSON, "expected a value at byte offset 10")) {
            try XGBoostModel(jsonData: Array(#"{"other": }"#.utf8), version: "t")
        }
        #expect(throws: XGBoostModelError(.malformedJSON, "expected '{', found '[' at byte offset 12")) {
            try XGBoostModel(jsonData: Array(#"{"learner": []}"#.utf8), version: "t")
        }
        #expect(throws: XGBoostModelError(.malformedJSON, "unexpected data after the JSON document at byte offset 4")) {
            try XGBoostModel(jsonData: Array("{}  x".utf8), version: "t")
        }
    }

    @Test func wrongObjectiveIsRejected() {
        var tiny = TinyModel()
        tiny.objective = "binary:logistic"
        #expect(tiny.loadError() == XGBoostModelError(.unsupported,
            "objective 'binary:logistic' is not supported (only reg:squarederror)"))
    }

    @Test func dartAndLinearBoostersAreRejected() {
        for booster in ["dart", "gblinear"] {
            var tiny = TinyModel()
            tiny.booster = booster
            #expect(tiny.loadError() == XGBoostModelError(.unsupported,
                "booster '\(booster)' is not supported (only gbtree)"))
        }
    }

    @Test func categoricalSplitIsRejected() {
        var tiny = TinyModel()
        tiny.tree0SplitType = "[0, 0, 1, 0, 0]"
        #expect(tiny.loadError() == XGBoostModelError(.unsupported, "tree 0 node 2: categorical splits are not supported"))
    }

    @Test func cycleInATreeIsRejected() {
        var tiny = TinyModel()
        tiny.tree0Left = "[1, -1, 3, -1, 2]"   // node 4 points back at node 2
        tiny.tree0Right = "[2, -1, 4, -1, 3]"
        let error = tiny.loadError()
        #expect(error?.code == .invalidModel)
        #expect(error?.detail.hasSuffix("node 2 is reached twice (the tree has a cycle)") == true, "\(String(describing: error))")
    }

    @Test func childOutOfRangeNamesTreeAndNode() {
        var tiny = TinyModel()
        tiny.tree0Right = "[2, -1, 9, -1, -1]"
        let error = tiny.loadError()
        #expect(error?.code == .invalidModel)
        #expect(error?.detail.hasPrefix("tree 0 at byte offset ") == true)
        #expect(error?.detail.hasSuffix("node 2 has children 3 and 9; expected two distinct nodes in 1..<5") == true,
                "\(String(describing: error))")
    }

    @Test func splitOnUnknownFeatureIsRejected() {
        var tiny = TinyModel()
        tiny.tree0Indices = "[0, 0, 7, 0, 0]"
        #expect(tiny.loadError()?.detail.hasSuffix("node 2 splits on feature 7, but the model has 2 features") == true)
    }

    @Test func perNodeArraysOfDifferentLengthsAreRejected() {
        var tiny = TinyModel()
        tiny.tree0Conditions = "[1.5, 1.0, 0.0, -2.0]"
        #expect(tiny.loadError()?.detail.hasSuffix("split_conditions has 4 entries, expected 5 (one per node)") == true)
    }

    @Test func missingFeatureNamesAreRejected() {
        var tiny = TinyModel()
        tiny.featureNames = []
        #expect(tiny.loadError() == XGBoostModelError(.invalidModel,
            "no learner.feature_names (train with feature names set)"))
    }

    @Test func outOfRangeNumbersAreRejected() {
        var tiny = TinyModel()
        tiny.tree0Conditions = "[1.5, 1e39, 0.0, -2.0, 3.0]"
        #expect(tiny.loadError()?.detail.hasPrefix("number '1e39' does not fit in a 32-bit float at byte offset") == true)
    }

    @Test func absurdNestingInSkippedFieldsIsRejectedWithoutRecursion() {
        var tiny = TinyModel()
        tiny.attributes = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(tiny.loadError()?.detail.hasPrefix("nesting deeper than 256 at byte offset") == true)
        tiny.attributes = #"{"a": [1, {"b": [true, false, null, "x\"y"]}], "c": -0.5e-3}"#
        #expect(throws: Never.self) { try tiny.model() }
    }

    @Test func badStringsAreRejectedNamingTheOffset() throws {
        for (name, expected) in [(#"bad\x"#, "invalid escape '\\x'"), (#"\ud83c"#, "unpaired surrogate in string"),
                                 (#"\u12g4"#, "invalid hex digit in \\u escape"), ("tab\there", "control character in string")] {
            var tiny = TinyModel()
            tiny.featureNames = [name, "b"]
            let error = tiny.loadError()
            #expect(error?.code == .malformedJSON)
            #expect(error?.detail.hasPrefix(expected + " at byte offset") == true, "\(name): \(String(describing: error))")
        }
        var emoji = TinyModel()
        emoji.featureNames = [#"\ud83c\udfc0"#, "b"]
        #expect(try emoji.model().featureNames == ["🏀", "b"])
    }
}
