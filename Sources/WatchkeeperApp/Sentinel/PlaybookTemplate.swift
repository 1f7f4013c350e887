/// The ARM deployment template of the Logic App playbook that forwards Microsoft Sentinel
/// incidents to Watchkeeper: the Microsoft Sentinel incident trigger (managed connector
/// `azuresentinel`, webhook on `/incident-creation`) and one HTTP action that POSTs the trigger
/// body, whole, to the integration key's Sentinel URL. The playbook's connection authenticates
/// with the Logic App's own managed identity, so the template holds no Azure credential.
enum PlaybookTemplate {
    static let defaultPlaybookName = "Watchkeeper-Forward-Incident"

    /// The template for `ingestURL` (`{public URL}/api/v1/integrations/{secret}/sentinel`).
    static func template(ingestURL: String, keyName: String) -> JSONValue {
        let managedAPI: JSONValue = "[concat('/subscriptions/', subscription().subscriptionId, '/providers/Microsoft.Web/locations/', resourceGroup().location, '/managedApis/azuresentinel')]"
        let connectionId: JSONValue = "[resourceId('Microsoft.Web/connections', variables('AzureSentinelConnectionName'))]"
        return [
            "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "contentVersion": "1.0.0.0",
            "metadata": [
                "title": "Forward Microsoft Sentinel incidents to Watchkeeper",
                "description": .string("Runs from an automation rule (incident created / updated) and POSTs the incident trigger's body to Watchkeeper's integration key \"\(keyName)\", which pages the on-call analyst."),
                "postDeployment": [
                    "Grant Microsoft Sentinel permission to run playbooks in this resource group (Settings > Playbook permissions).",
                    "Assign the playbook's managed identity the Microsoft Sentinel Reader role on the workspace.",
                    "Create automation rules 'When incident is created' and 'When incident is updated' that run this playbook.",
                ],
            ],
            "parameters": [
                "PlaybookName": ["type": "string", "defaultValue": .string(defaultPlaybookName)],
            ],
            "variables": [
                "AzureSentinelConnectionName": "[concat('azuresentinel-', parameters('PlaybookName'))]",
            ],
            "resources": [
                [
                    "type": "Microsoft.Web/connections",
                    "apiVersion": "2016-06-01",
                    "name": "[variables('AzureSentinelConnectionName')]",
                    "location": "[resourceGroup().location]",
                    "kind": "V1",
                    "properties": [
                        "displayName": "[variables('AzureSentinelConnectionName')]",
                        "customParameterValues": [:],
                        "parameterValueType": "Alternative",
                        "api": ["id": managedAPI],
                    ],
                ],
                [
                    "type": "Microsoft.Logic/workflows",
                    "apiVersion": "2017-07-01",
                    "name": "[parameters('PlaybookName')]",
                    "location": "[resourceGroup().location]",
                    "identity": ["type": "SystemAssigned"],
                    "dependsOn": [connectionId],
                    "properties": [
                        "state": "Enabled",
                        "definition": [
                            "$schema": "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#",
                            "contentVersion": "1.0.0.0",
                            "parameters": ["$connections": ["defaultValue": [:], "type": "Object"]],
                            "triggers": [
                                "Microsoft_Sentinel_incident": [
                                    "type": "ApiConnectionWebhook",
                                    "inputs": [
                                        "body": ["callback_url": "@{listCallbackUrl()}"],
                                        "host": ["connection": ["name": "@parameters('$connections')['azuresentinel']['connectionId']"]],
                                        "path": "/incident-creation",
                                    ],
                                ],
                            ],
                            "actions": [
                                "Send_to_Watchkeeper": [
                                    "runAfter": [:],
                                    "type": "Http",
                                    "inputs": [
                                        "method": "POST",
                                        "uri": .string(ingestURL),
                                        "headers": ["Content-Type": "application/json"],
                                        // The whole trigger body, unchanged: Watchkeeper reads the incident, its alerts and entities from it.
                                        "body": "@{triggerBody()}",
                                        // Logic Apps' default policy, spelled out: 408, 429 and 5xx are re-sent up to 4 times,
                                        // exponentially from 7.5 s, each wait between 5 and 45 s. The endpoint is idempotent.
                                        "retryPolicy": ["type": "exponential", "count": 4, "interval": "PT7.5S",
                                                        "minimumInterval": "PT5S", "maximumInterval": "PT45S"],
                                    ],
                                ],
                            ],
                            "outputs": [:],
                        ],
                        "parameters": [
                            "$connections": ["value": ["azuresentinel": [
                                "connectionId": connectionId,
                                "connectionName": "[variables('AzureSentinelConnectionName')]",
                                "id": managedAPI,
                                "connectionProperties": ["authentication": ["type": "ManagedServiceIdentity"]],
                            ]]],
                        ],
                    ],
                ],
            ],
        ]
    }
}
