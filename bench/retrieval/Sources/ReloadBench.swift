struct ReloadBench {
    let arguments: BenchArguments
    func run() async throws {}
}
