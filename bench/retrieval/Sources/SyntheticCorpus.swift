enum SyntheticCorpus {
    static func export(arguments: BenchArguments) throws {}
}
