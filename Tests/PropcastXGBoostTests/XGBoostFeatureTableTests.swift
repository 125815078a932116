import PropcastXGBoost
import Testing

/// Feature CSVs (`propcast model score`) map named columns onto the model's feature order.
@Suite struct XGBoostFeatureTableTests {
    let names = ["a", "b", "c"]

    @Test func columnsInAnyOrderAreArrangedInModelOrder() throws {
        let table = try XGBoostFeatureTable(csv: "c,a,b\n3,1,2\n6,4,5\n", featureNames: names, source: "f.csv")
        #expect(table.rows == [[1, 2, 3], [4, 5, 6]])
        #expect(table.absentFeatures.isEmpty)
    }

    @Test func emptyCellsAndAbsentColumnsAreMissing() throws {
        let table = try XGBoostFeatureTable(csv: "b,a\r\n,1.5\r\n2,\r\n", featureNames: names, source: "f.csv")
        #expect(table.absentFeatures == ["c"])
        #expect(table.rows.count == 2)
        #expect(table.rows[0][0] == 1.5 && table.rows[0][1].isNaN && table.rows[0][2].isNaN)
        #expect(table.rows[1][0].isNaN && table.rows[1][1] == 2 && table.rows[1][2].isNaN)
    }

    @Test func ignoredColumnsAreSkipped() throws {
        let table = try XGBoostFeatureTable(csv: "a,expected,b,c\n1,99,2,3\n", featureNames: names,
                                            ignoredColumns: ["expected"], source: "f.csv")
        #expect(table.rows == [[1, 2, 3]])
    }

    @Test func unknownColumnIsNamed() {
        #expect(throws: XGBoostFeatureTableError(source: "f.csv", line: 1, column: "zzz",
                                                 "is not a feature of the model (features: a, b, c)")) {
            try XGBoostFeatureTable(csv: "a,zzz\n1,2\n", featureNames: names, source: "f.csv")
        }
    }

    @Test func badNumberNamesRowAndColumn() throws {
        let error = try #require(throws: XGBoostFeatureTableError.self) {
            try XGBoostFeatureTable(csv: "a,b\n1,2\nx1,3\n", featureNames: names, source: "f.csv")
        }
        #expect(error.description
            == "f.csv line 3 (row 2), column 'a': 'x1' is not a finite number (leave the cell empty for a missing value)")
        #expect(throws: XGBoostFeatureTableError.self) {
            try XGBoostFeatureTable(csv: "a\ninf\n", featureNames: names, source: "f.csv")
        }
        #expect(throws: XGBoostFeatureTableError.self) {
            try XGBoostFeatureTable(csv: "a\n1e39\n", featureNames: names, source: "f.csv")
        }
    }

    @Test func rowWithTheWrongCellCountIsRejected() {
        #expect(throws: XGBoostFeatureTableError(source: "f.csv", line: 2, column: nil,
                                                 "has 3 cells, the header has 2 columns")) {
            try XGBoostFeatureTable(csv: "a,b\n1,2,3\n", featureNames: names, source: "f.csv")
        }
    }

    @Test func duplicateColumnAndEmptyInputAreRejected() {
        #expect(throws: XGBoostFeatureTableError(source: "f.csv", line: 1, column: "a", "appears twice in the header")) {
            try XGBoostFeatureTable(csv: "a,a\n1,2\n", featureNames: names, source: "f.csv")
        }
        #expect(throws: XGBoostFeatureTableError(source: "f.csv", line: 1, column: nil,
                                                 "is empty; expected a header of feature names")) {
            try XGBoostFeatureTable(csv: "", featureNames: names, source: "f.csv")
        }
    }
}
