import Foundation
import Testing
@testable import PolicyCheckKit

/// `ExactDecimal` against Foundation's own `Decimal` arithmetic, on seeded random operands that lean to
/// the edges: zero, one, 64-bit significands, values whose sum or product overflows 64 bits, exponents
/// at `Decimal`'s limits, and significands too long for the integer path.
@Suite("Exact decimal arithmetic agrees with Foundation")
struct ExactDecimalTests {
    @Test("Decimal's stored layout is the one the integer path reads")
    func layout() {
        #expect(ExactDecimal.layoutChecked)
        #expect(ExactDecimal.parts(Decimal(string: "-8942.03")!) == .init(negative: true, significand: 894_203, exponent: -2))
        #expect(ExactDecimal.parts(Decimal.nan) == nil)
    }

    @Test("sums, differences, products, order, equality, hashes and text", arguments: 0..<4)
    func agreesWithFoundation(seed: Int) {
        var random = SplitMix64(seed: 0xDEC1_0000 + UInt64(seed))
        var integerPath = 0
        for _ in 0..<5_000 {
            let a = Self.operand(&random), b = Self.operand(&random)
            if ExactDecimal.parts(a) != nil, ExactDecimal.parts(b) != nil { integerPath += 1 }
            // Foundation's `*` and `-` trap on some operands at the limits; the NSDecimal functions report
            // overflow, which ExactDecimal gives as NaN.
            Self.expectSame(ExactDecimal.sum(a, b), Self.foundation(a, b, NSDecimalAdd), "\(a) + \(b)")
            Self.expectSame(ExactDecimal.difference(a, b), Self.foundation(a, -b, NSDecimalAdd), "\(a) - \(b)")
            if a.isZero || b.isZero || a.exponent + b.exponent >= -128 {
                Self.expectSame(ExactDecimal.product(a, b), Self.foundation(a, b, NSDecimalMultiply), "\(a) * \(b)")
            }
            // Below, Foundation traps; the integer path still answers when the product fits, Foundation's is NaN.
            let order = a < b ? -1 : (a == b ? 0 : 1)
            #expect(ExactDecimal.compare(a, b) == order, "compare(\(a), \(b))")
            #expect(ExactDecimal.description(of: a) == a.description)
            var bytes: [UInt8] = []
            ExactDecimal.append(a, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == a.description)
        }
        // The cases must mostly exercise the integer path, not only the fallback.
        #expect(integerPath > 3_000)
    }

    @Test("a decimal made from its parts is the one Foundation makes")
    func madeFromParts() {
        var random = SplitMix64(seed: 0xDEC1_1000)
        for _ in 0..<5_000 {
            let negative = random.chance(50)
            let significand = Self.significand(&random)
            let exponent = random.int(in: -30...30)
            let made = ExactDecimal.decimal(negative: negative, significand: significand, exponent: exponent)
            let foundation = Decimal(sign: negative ? .minus : .plus, exponent: exponent, significand: Decimal(significand))
            Self.expectSame(made, foundation, "\(negative ? "-" : "")\(significand)e\(exponent)")
        }
    }

    @Test("values as Value: equal numbers are equal and hash alike however they were computed")
    func valueEquality() {
        let a = Value.number(ExactDecimal.sum(Decimal(string: "0.1")!, Decimal(string: "0.2")!))
        let b = Value.number(Decimal(string: "0.30")!)
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(Value.number(ExactDecimal.difference(Decimal(7), Decimal(7))) == .number(0))
        #expect(Set([a, b]).count == 1)
    }

    @Test("a result beyond Decimal's range is an evaluation error, not a crash or NaN in a report")
    func outOfRange() throws {
        let huge = Value.number(Decimal(string: "1" + String(repeating: "0", count: 120))!)
        let tiny = Value.number(Decimal(string: "1e-120")!)
        let greatest = Value.number(Decimal.greatestFiniteMagnitude)
        #expect(throws: EvaluationError.self) { try Operators.multiply(huge, huge) }
        #expect(throws: EvaluationError.self) { try Operators.divide(huge, tiny) }
        #expect(throws: EvaluationError.self) { try Operators.remainder(huge, tiny) }
        #expect(throws: EvaluationError.self) { try Operators.add(greatest, greatest) }
        #expect(throws: EvaluationError.self) { try Operators.subtract(greatest, .number(Decimal.greatestFiniteMagnitude * -1)) }
        #expect(try Operators.multiply(huge, tiny) == .number(1))
    }

    /// Foundation's result, NaN where it reports overflow.
    private static func foundation(
        _ a: Decimal, _ b: Decimal,
        _ operation: (UnsafeMutablePointer<Decimal>, UnsafePointer<Decimal>, UnsafePointer<Decimal>, NSDecimalNumber.RoundingMode) -> NSDecimalNumber.CalculationError
    ) -> Decimal {
        var result = Decimal(), lhs = a, rhs = b
        return operation(&result, &lhs, &rhs, .plain) == .overflow ? .nan : result
    }

    /// The same value, the same text and the same hash: what callers of either can observe.
    private static func expectSame(_ exact: Decimal, _ foundation: Decimal, _ operation: String,
                                   sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(exact == foundation, "\(operation): \(exact) vs \(foundation)", sourceLocation: sourceLocation)
        #expect(exact.description == foundation.description, "\(operation)", sourceLocation: sourceLocation)
        #expect(exact.hashValue == foundation.hashValue, "\(operation)", sourceLocation: sourceLocation)
        #expect(exact.isNaN == foundation.isNaN, "\(operation)", sourceLocation: sourceLocation)
    }

    private static func significand(_ random: inout SplitMix64) -> UInt64 {
        switch random.int(in: 0...9) {
        case 0: return 0
        case 1: return random.pick([1, 10, 100, 65_535, 65_536, UInt64(UInt32.max), UInt64.max, UInt64.max / 10])
        case 2: return UInt64.random(in: UInt64(1) << 60...UInt64.max, using: &random)
        case 3: return UInt64.random(in: 1...UInt64(UInt32.max), using: &random) * 1_000
        default: return UInt64.random(in: 1...100_000_000, using: &random)
        }
    }

    private static func operand(_ random: inout SplitMix64) -> Decimal {
        if random.chance(3) {
            // Longer than 64 bits: Foundation's path.
            return Decimal(string: "123456789012345678901234567.89")! * (random.chance(50) ? 1 : -1)
        }
        let exponent = random.chance(5) ? random.pick([-128, -127, -100, 100, 120, 127]) : random.int(in: -12...6)
        return Decimal(sign: random.chance(40) ? .minus : .plus, exponent: exponent,
                       significand: Decimal(significand(&random)))
    }
}
