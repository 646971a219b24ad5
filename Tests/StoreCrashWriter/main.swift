// A helper process for the store's crash and permission tests (not shipped).
//
//   store-crash-writer append DB [TASKS] [CONVERSATIONS]
//       Appends user+bot pairs from TASKS concurrent tasks over CONVERSATIONS conversations
//       until killed, printing `ack CONVERSATION USER_ID BOT_ID` to stdout after each append
//       returned (written straight to the file descriptor, so a line that is out was acked).
//   store-crash-writer open DB
//       Opens the store (as user `nobody` when started as root, so that file permissions
//       apply) and prints `ok` or `error CODE`.
//   store-crash-writer open-read-only DB CONVERSATION
//       Opens the store read-only (as `nobody` under root), prints `ok COUNT` with the number of
//       messages of CONVERSATION (or `error CODE`), then tries a write and prints `write ok` or
//       `write error CODE`.

import Foundation
import Logging
import Store
import SupportCore

#if canImport(Glibc)
    import Glibc
#endif

/// Writes one line to stdout with a single `write(2)`: it is either fully out or not at all.
func emit(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    bytes.withUnsafeBytes { buffer in
        guard let base = buffer.baseAddress else { return }
        var offset = 0
        while offset < buffer.count {
            let written = write(1, base + offset, buffer.count - offset)
            if written <= 0 { return }
            offset += written
        }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

func runAppend(path: String, tasks: Int, conversationCount: Int) async {
    var logger = Logger(label: "store-crash-writer")
    logger.logLevel = .warning
    let store: SQLiteStore
    do {
        store = try SQLiteStore(path: path, logger: logger)
    } catch {
        fail("open failed: \(error)")
    }
    var conversations = [ConversationID]()
    for _ in 0..<conversationCount {
        do {
            conversations.append(try await store.createConversation(client: "crash", metadata: nil).id)
        } catch {
            fail("create conversation failed: \(error)")
        }
    }
    let targets = conversations
    await withTaskGroup(of: Void.self) { group in
        for task in 0..<tasks {
            group.addTask {
                var round = 0
                while true {
                    round += 1
                    let conversation = targets[(task + round) % targets.count]
                    let pair = [
                        NewMessage(role: .user, text: "task \(task) question \(round), with a comma and \"quotes\""),
                        NewMessage(
                            role: .bot, text: "answer \(round) for task \(task) 🙂", intent: "order_status",
                            confidence: 0.9, route: "canned", latencyMicros: 1200),
                    ]
                    do {
                        let stored = try await store.append(pair, to: conversation)
                        emit("ack \(conversation) \(stored[0].id) \(stored[1].id)")
                    } catch {
                        fail("append failed: \(error)")
                    }
                }
            }
        }
    }
}

func runOpen(path: String) {
    if getuid() == 0 {
        guard setgid(65534) == 0, setuid(65534) == 0 else {
            fail("cannot drop privileges to nobody")
        }
    }
    do {
        _ = try SQLiteStore(path: path, logger: Logger(label: "store-crash-writer"))
        emit("ok")
    } catch let error as StoreError {
        emit("error \(error.code)")
        FileHandle.standardError.write(Data("\(error)\n".utf8))
    } catch {
        emit("error unexpected")
    }
}

func runOpenReadOnly(path: String, conversation: String) async {
    if getuid() == 0 {
        guard setgid(65534) == 0, setuid(65534) == 0 else {
            fail("cannot drop privileges to nobody")
        }
    }
    var configuration = StoreConfiguration()
    configuration.readOnly = true
    do {
        let store = try SQLiteStore(path: path, configuration: configuration, logger: Logger(label: "store-crash-writer"))
        guard let id = ConversationID(rawValue: conversation) else { fail("not a conversation id: \(conversation)") }
        emit("ok \(try await store.messages(conversation: id).count)")
        do {
            _ = try await store.createClient(name: "intruder", role: .customer)
            emit("write ok")
        } catch let error as StoreError {
            emit("write error \(error.code)")
        }
    } catch let error as StoreError {
        emit("error \(error.code)")
        FileHandle.standardError.write(Data("\(error)\n".utf8))
    } catch {
        emit("error unexpected")
        FileHandle.standardError.write(Data("\(error)\n".utf8))
    }
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    fail("usage: store-crash-writer append DB [TASKS] [CONVERSATIONS] | open DB")
}
switch arguments[1] {
case "append":
    let tasks = arguments.count > 3 ? Int(arguments[3]) ?? 32 : 32
    let conversations = arguments.count > 4 ? Int(arguments[4]) ?? 8 : 8
    await runAppend(path: arguments[2], tasks: tasks, conversationCount: conversations)
case "open":
    runOpen(path: arguments[2])
case "open-read-only" where arguments.count > 3:
    await runOpenReadOnly(path: arguments[2], conversation: arguments[3])
default:
    fail("unknown command \(arguments[1])")
}
