import CouloirDomain
import CouloirStorage
import Foundation
import OpenAPIRuntime

extension APIHandler {
    func createOperation(_ input: Operations.CreateOperation.Input) async throws -> Operations.CreateOperation.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let principal = try RequestPrincipal.require()
        guard principal.may(.editOperation, on: .own) else { throw AccessError.forbiddenAction(.editOperation) }
        let operation = EvacuationOperation(body)
        try await store.insert(operation)
        return .created(
            .init(
                headers: .init(eTag: ETag.of(1), location: "/api/v1/operations/\(operation.id)"),
                body: .json(.init(operation))))
    }

    func getOperation(_ input: Operations.GetOperation.Input) async throws -> Operations.GetOperation.Output {
        let (operation, _) = try await reach(input.path.operationId)
        guard let stored = try await store.versionedOperation(operation.id) else {
            return .notFound(
                .init(body: .applicationProblemJson(Problem.notFound("operation", input.path.operationId))))
        }
        return .ok(.init(headers: .init(eTag: ETag.of(stored.version)), body: .json(.init(stored.record))))
    }

    func updateOperation(_ input: Operations.UpdateOperation.Input) async throws -> Operations.UpdateOperation.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let (reached, access) = try await reach(input.path.operationId)
        let id = reached.id
        try access.require(.editOperation, on: RecordKey(.operation, id), relation: access.operationRelation)
        guard let stored = try await store.versionedOperation(id) else {
            return .notFound(
                .init(body: .applicationProblemJson(Problem.notFound("operation", input.path.operationId))))
        }
        guard let ifMatch = input.headers.ifMatch else {
            return .preconditionRequired(.init(body: .applicationProblemJson(Problem.ifMatchRequired)))
        }
        var operation = EvacuationOperation(body)
        operation.id = id
        // A body that could never be stored is refused as such, whatever its If-Match.
        try operation.validate()
        guard ETag.condition(ifMatch).matches(stored.version) else {
            return .preconditionFailed(
                .init(body: .applicationProblemJson(Problem.stale("operation", current: stored.version))))
        }
        let updated = try await store.update(operation, from: stored.version)
        return .ok(.init(headers: .init(eTag: ETag.of(updated.version)), body: .json(.init(updated.record))))
    }
}

extension EvacuationOperation {
    init(_ input: Components.Schemas.OperationInput) {
        self.init(name: input.name, area: input.area, timeZoneIdentifier: input.timeZone, languages: input.languages)
    }
}
