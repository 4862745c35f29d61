import CouloirCore
import CouloirDomain
import Foundation
import OpenAPIRuntime

extension APIHandler {
    func createOperation(_ input: Operations.CreateOperation.Input) async throws -> Operations.CreateOperation.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let created = try await core.create(EvacuationOperation(body), as: principal)
        return .created(
            .init(
                headers: .init(eTag: ETag.of(created.version), location: "/api/v1/operations/\(created.record.id)"),
                body: .json(.init(created.record))))
    }

    func getOperation(_ input: Operations.GetOperation.Input) async throws -> Operations.GetOperation.Output {
        let stored = try await core.operation(try pathID(input.path.operationId, "operation"), as: principal)
        return .ok(.init(headers: .init(eTag: ETag.of(stored.version)), body: .json(.init(stored.record))))
    }

    func updateOperation(_ input: Operations.UpdateOperation.Input) async throws -> Operations.UpdateOperation.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let updated = try await core.update(
            operation: try pathID(input.path.operationId, "operation"), to: EvacuationOperation(body),
            expecting: ETag.expected(input.headers.ifMatch), as: principal)
        return .ok(.init(headers: .init(eTag: ETag.of(updated.version)), body: .json(.init(updated.record))))
    }
}

extension EvacuationOperation {
    init(_ input: Components.Schemas.OperationInput) {
        self.init(name: input.name, area: input.area, timeZoneIdentifier: input.timeZone, languages: input.languages)
    }
}
