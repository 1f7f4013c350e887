import Foundation
import Sentinel
import Testing

@Suite struct IncidentParsingTests {
    @Test func createdHighTriggerMapsEveryField() throws {
        let trigger = try LogicAppTrigger.parse(json: try IncidentFixture.data("logicapp-incident-created-high.json"))
        #expect(trigger.eventUniqueId == "6f8a0c2e-4a6c-4e8a-8c2e-0a4c6e8a0c11")
        #expect(trigger.objectEventType == "Create")
        #expect(trigger.workspaceId == "b8d2e4f6-1a3c-4e5f-9a7b-2c4d6e8f0a1b")
        let incident = trigger.incident
        #expect(incident.armId.hasSuffix("/Incidents/8c1f4a2e-6b3d-4f7a-9e2c-5d8b1a4f7c30"))
        #expect(incident.incidentKey == incident.armId.lowercased())
        #expect(incident.name == "8c1f4a2e-6b3d-4f7a-9e2c-5d8b1a4f7c30")
        #expect(incident.etag == "\"2d00c1a4-0000-0d00-0000-67d39b430000\"")
        #expect(incident.lastModified.text == "2025-03-14T02:58:11.5102944Z")
        #expect(incident.title == "Multi-stage: impossible travel then encoded PowerShell on WS-FIN-042")
        #expect(incident.severity == .high && incident.status == .new)
        #expect(incident.owner == .unassigned && !incident.owner.isAssigned)
        #expect(incident.classification == nil && incident.classificationReason == nil)
        #expect(incident.incidentNumber == 4711)
        #expect(incident.incidentUrl?.hasPrefix("https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident/") == true)
        #expect(incident.providerName == "Azure Sentinel")
        #expect(incident.tactics == ["InitialAccess", "Execution"])
        #expect(incident.techniques == ["T1078", "T1059"])
        #expect(incident.alertProductNames == ["Azure Sentinel"])
        #expect(incident.alerts.map(\.alertDisplayName) == ["Impossible travel to atypical location", "Suspicious encoded PowerShell on finance workstation"])
        #expect(incident.alerts.first?.productName == "Azure Sentinel" && incident.alerts.first?.severity == "High")
        #expect(incident.alerts.first?.tactics == ["InitialAccess"])
        #expect(incident.entities == [IncidentEntity(kind: "Account", value: "jdoe@contoso.com"), IncidentEntity(kind: "Host", value: "WS-FIN-042"),
                                      IncidentEntity(kind: "Ip", value: "203.0.113.57")])
        #expect(incident.workspace == "law-contoso-sentinel")
        #expect(incident.subscriptionId == "3f1a6c2d-8b47-4e9a-a5d1-7c2e9b0f4a63" && incident.resourceGroup == "rg-soc-contoso")

        let facts = IncidentFacts(incident: incident, customer: "Contoso")
        #expect(facts.severity == "High" && facts.customer == "Contoso" && facts.workspace == "law-contoso-sentinel")
        #expect(facts.productNames == ["Azure Sentinel"] && facts.entities.count == 3)
    }

    @Test func closedTriggerCarriesOwnerAndClassification() throws {
        let incident = try LogicAppTrigger.parse(json: try IncidentFixture.data("logicapp-incident-closed-in-sentinel.json")).incident
        #expect(incident.status == .closed)
        #expect(incident.classification == .truePositive && incident.classificationReason == .suspiciousActivity)
        #expect(incident.classificationComment?.isEmpty == false)
        #expect(incident.owner.objectId == "e2a4c6e8-0b2d-4f6a-8c0e-4a6c8e0a2c53" && incident.owner.displayName == "Priya Natarajan")
        #expect(IncidentClassification.isValid(incident.classification!, incident.classificationReason))
    }

    @Test func everyLogicAppFixtureParses() throws {
        for name in ["logicapp-incident-created-high.json", "logicapp-incident-updated-owner-assigned.json", "logicapp-incident-closed-in-sentinel.json",
                     "logicapp-incident-created-informational.json", "logicapp-incident-severity-raised.json"] {
            let incident = try LogicAppTrigger.parse(json: try IncidentFixture.data(name)).incident
            #expect(incident.etag.hasPrefix("\"") && incident.etag.hasSuffix("\""), "\(name)")
        }
        let raised = try LogicAppTrigger.parse(json: try IncidentFixture.data("logicapp-incident-severity-raised.json")).incident
        let informational = try LogicAppTrigger.parse(json: try IncidentFixture.data("logicapp-incident-created-informational.json")).incident
        #expect(informational.severity == .informational && raised.severity == .high && informational.severity < raised.severity)
        #expect(informational.incidentKey == raised.incidentKey && informational.lastModified < raised.lastModified)
    }

    @Test func armGetAndListPagesParseWithTheSameParser() throws {
        let got = try SentinelIncident.parse(json: try IncidentFixture.data("arm-incident-get.json"))
        let assigned = try LogicAppTrigger.parse(json: try IncidentFixture.data("logicapp-incident-updated-owner-assigned.json")).incident
        #expect(got.incidentKey == assigned.incidentKey && got.etag == assigned.etag && got.lastModified == assigned.lastModified)
        #expect(got.status == .active && got.owner.objectId == "a7c9e1b3-5d7f-4a9c-b2e4-6f8a0c2e4a61")
        #expect(got.alerts.isEmpty && got.entities.isEmpty)

        let first = try SentinelIncident.parseList(json: try IncidentFixture.data("arm-incidents-list-page1.json"))
        #expect(first.incidents.map(\.incidentNumber) == [4711, 4712])
        #expect(first.nextLink?.contains("skipToken") == true)
        let second = try SentinelIncident.parseList(json: try IncidentFixture.data("arm-incidents-list-page2.json"))
        #expect(second.incidents.map(\.incidentNumber) == [4713] && second.nextLink == nil)
        #expect(second.incidents[0].status == .closed && second.incidents[0].classification == .falsePositive
                && second.incidents[0].classificationReason == .incorrectAlertLogic)
    }

    @Test func capitalAlertsNullsMissingArraysAndUnknownFieldsAreTolerated() throws {
        var body = try IncidentFixture.object("logicapp-incident-created-high.json")
        var object = body["object"] as! [String: Any]
        var properties = object["properties"] as! [String: Any]
        properties["Alerts"] = properties.removeValue(forKey: "alerts")
        properties["relatedEntities"] = NSNull()
        properties["labels"] = NSNull()
        properties["description"] = NSNull()
        properties["somethingNew"] = ["nested": [1, 2, 3]]
        var additional = properties["additionalData"] as! [String: Any]
        additional.removeValue(forKey: "techniques")
        additional["tactics"] = NSNull()
        properties["additionalData"] = additional
        object["properties"] = properties
        object["futureMember"] = true
        body["object"] = object
        body["incidentUpdates"] = ["updatedBy": ["name": "someone"]]
        let incident = try LogicAppTrigger.parse(json: try IncidentFixture.encode(body)).incident
        #expect(incident.alerts.count == 2)
        #expect(incident.entities.isEmpty && incident.labels.isEmpty && incident.techniques.isEmpty && incident.tactics.isEmpty)
        #expect(incident.description == "")
    }

    @Test func badBodiesNameTheField() throws {
        func failure(_ change: (inout [String: Any]) -> Void) throws -> String? {
            var body = try IncidentFixture.object("logicapp-incident-created-high.json")
            change(&body)
            do {
                _ = try LogicAppTrigger.parse(json: try IncidentFixture.encode(body))
                return nil
            } catch let error as SentinelPayloadError {
                return error.field
            }
        }
        func properties(_ body: inout [String: Any], _ change: (inout [String: Any]) -> Void) {
            var object = body["object"] as! [String: Any]
            var properties = object["properties"] as! [String: Any]
            change(&properties)
            object["properties"] = properties
            body["object"] = object
        }
        #expect(try failure { $0.removeValue(forKey: "object") } == "object")
        #expect(try failure { $0["objectSchemaType"] = "Alert" } == "objectSchemaType")
        #expect(try failure { properties(&$0) { $0["severity"] = "Critical" } } == "object.properties.severity")
        #expect(try failure { properties(&$0) { $0["status"] = "Resolved" } } == "object.properties.status")
        #expect(try failure { properties(&$0) { $0["lastModifiedTimeUtc"] = "2025-03-14T02:58:11.51029441Z" } } == "object.properties.lastModifiedTimeUtc")
        #expect(try failure { properties(&$0) { $0["classification"] = "Maybe" } } == "object.properties.classification")
        #expect(try failure { properties(&$0) { $0.removeValue(forKey: "lastModifiedTimeUtc") } } == "object.properties.lastModifiedTimeUtc")
        #expect(try failure { var object = $0["object"] as! [String: Any]; object.removeValue(forKey: "etag"); $0["object"] = object } == "object.etag")
        #expect(throws: SentinelPayloadError("body", "must be a JSON object")) { try LogicAppTrigger.parse(json: Data("[1]".utf8)) }
    }

    @Test func timestampsKeepSevenDigitsAndCompareExactly() throws {
        let a = try #require(SentinelTimestamp("2025-03-14T02:58:11.5102944Z"))
        let b = try #require(SentinelTimestamp("2025-03-14T02:58:11.5102945Z"))
        #expect(a < b && a != b)
        #expect(SentinelTimestamp("2025-03-14T02:58:11Z")?.text == "2025-03-14T02:58:11.0000000Z")
        #expect(SentinelTimestamp("2025-03-14T02:58:11.5Z") == SentinelTimestamp("2025-03-14T02:58:11.5000000Z"))
        #expect(SentinelTimestamp("2025-03-14T02:58:11.113+00:00")?.text == "2025-03-14T02:58:11.1130000Z")
        #expect(SentinelTimestamp("2025-03-14T02:58:11.12345678Z") == nil)
        #expect(SentinelTimestamp("2025-03-14T02:58:11+02:00") == nil)
        #expect(SentinelTimestamp("3/14/2025 2:58:11 AM") == nil)
        #expect(a.date == Date(timeIntervalSince1970: 1_741_921_091.510))
    }

    @Test func classificationPairsAreTheFiveValidOnes() {
        #expect(IncidentClassification.validPairs.count == 5)
        #expect(IncidentClassification.isValid(.undetermined, nil))
        #expect(!IncidentClassification.isValid(.benignPositive, nil))
        #expect(!IncidentClassification.isValid(.truePositive, .inaccurateData))
        #expect(IncidentClassification.isValid(.falsePositive, .inaccurateData))
    }

    @Test func armAlertsAndEntitiesAnswersParse() throws {
        let alerts = try SecurityAlertSummary.parseList(json: try IncidentFixture.data("arm-incident-alerts.json"))
        #expect(alerts.map(\.alertDisplayName) == ["Impossible travel to atypical location", "Suspicious encoded PowerShell on finance workstation"])
        let entities = try IncidentEntity.parseList(json: try IncidentFixture.data("arm-incident-entities.json"))
        #expect(entities == [IncidentEntity(kind: "Account", value: "jdoe@contoso.com"), IncidentEntity(kind: "Host", value: "WS-FIN-042"),
                             IncidentEntity(kind: "Ip", value: "203.0.113.57")])
    }
}
