/// NumPy's legacy `np.random.RandomState(seed)` (MT19937), reduced to what KID's subset sampling needs:
/// `permutation(n)` and `choice(n, k, replace=False)`, bit-for-bit the same index sequences as NumPy.
/// torch-fidelity 0.3.0 draws its KID subsets this way (seed 2020 by default).
public struct LegacyNumpyRandom: Sendable {
    private var state = [UInt32](repeating: 0, count: 624)
    private var position = 624

    /// `RandomState(seed)` for an integer seed (MT19937 `init_genrand`).
    public init(seed: UInt32) {
        var s = seed
        for i in 0..<624 {
            state[i] = s
            s = 1_812_433_253 &* (s ^ (s >> 30)) &+ UInt32(i + 1)
        }
    }

    /// The next 32-bit output of the Mersenne Twister.
    public mutating func nextUInt32() -> UInt32 {
        if position >= 624 { twist() }
        var y = state[position]
        position += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    private mutating func twist() {
        for i in 0..<624 {
            let y = (state[i] & 0x8000_0000) | (state[(i + 1) % 624] & 0x7fff_ffff)
            var next = state[(i + 397) % 624] ^ (y >> 1)
            if y & 1 != 0 { next ^= 0x9908_b0df }
            state[i] = next
        }
        position = 0
    }

    /// A uniform integer in 0...max by masked rejection sampling (NumPy's legacy `random_interval`).
    public mutating func interval(_ max: UInt32) -> UInt32 {
        if max == 0 { return 0 }
        var mask = max
        mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4; mask |= mask >> 8; mask |= mask >> 16
        while true {
            let value = nextUInt32() & mask
            if value <= max { return value }
        }
    }

    /// `RandomState.permutation(n)`: Fisher–Yates from the last element down.
    public mutating func permutation(_ n: Int) -> [Int] {
        var a = Array(0..<n)
        var i = n - 1
        while i >= 1 {
            let j = Int(interval(UInt32(i)))
            a.swapAt(i, j)
            i -= 1
        }
        return a
    }

    /// `RandomState.choice(n, k, replace=False)`: the first k entries of a permutation of 0..<n.
    public mutating func choiceWithoutReplacement(_ n: Int, _ k: Int) -> [Int] {
        Array(permutation(n).prefix(k))
    }
}
