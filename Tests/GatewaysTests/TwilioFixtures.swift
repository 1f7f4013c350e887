import Foundation

/// Copies of shared/fixtures/providers/twilio/ (hand-written payloads; signatures computed with
/// twilio 9.13.0 and checked by hand), byte for byte, so the tests need nothing outside the
/// repository. `TwilioFixtureCopyTests` checks them against the originals when those are there.
enum TwilioFixtures {
    /// The Auth Token every signed fixture was signed with.
    static let authToken = "02509860a76422650dfe0baed95e4389"

    static let files: [String: String] = [
        "call_create_request.form": #"""
To=%2B447700900123&From=%2B447700900500&Url=https%3A%2F%2Fpager.example.eu%2Fhooks%2Ftwilio%2Fvoice%2Fanswer%3Fpage%3Dpg_7Hk2%26attempt%3D1&StatusCallback=https%3A%2F%2Fpager.example.eu%2Fhooks%2Ftwilio%2Fvoice%2Fstatus%3Fpage%3Dpg_7Hk2&StatusCallbackEvent=initiated&StatusCallbackEvent=answered&StatusCallbackEvent=completed&Timeout=30&MachineDetection=Enable
"""#,
        "call_status_completed.form": #"""
Called=%2B447700900123&ToState=&CallerCountry=GB&Direction=outbound-api&Timestamp=Tue%2C+10+Mar+2026+09%3A15%3A12+%2B0000&CallbackSource=call-progress-events&CallerState=&ToZip=&SequenceNumber=0&CallSid=CAd497559f909551ca1f9b7a55dbde3506&To=%2B447700900123&CallerZip=&ToCountry=GB&CalledZip=&ApiVersion=2010-04-01&CalledCity=&CallStatus=completed&Duration=1&From=%2B447700900500&CallDuration=38&AccountSid=ACedf4d5fe3e00e6f515b456eda2e535e3&CalledCountry=GB&CallerCity=&ToCity=&FromCountry=GB&Caller=%2B447700900500&FromCity=&CalledState=&FromZip=&FromState=
"""#,
        "call_status_no_answer.form": #"""
Called=%2B447700900123&ToState=&CallerCountry=GB&Direction=outbound-api&Timestamp=Tue%2C+10+Mar+2026+09%3A15%3A12+%2B0000&CallbackSource=call-progress-events&CallerState=&ToZip=&SequenceNumber=0&CallSid=CAac83c6a4bbd6cd4d50e22458ca6827e6&To=%2B447700900123&CallerZip=&ToCountry=GB&CalledZip=&ApiVersion=2010-04-01&CalledCity=&CallStatus=no-answer&Duration=0&From=%2B447700900500&CallDuration=0&AccountSid=ACedf4d5fe3e00e6f515b456eda2e535e3&CalledCountry=GB&CallerCity=&ToCity=&FromCountry=GB&Caller=%2B447700900500&FromCity=&CalledState=&FromZip=&FromState=
"""#,
        "gather_callback.form": #"""
AccountSid=ACedf4d5fe3e00e6f515b456eda2e535e3&ApiVersion=2010-04-01&CallSid=CAd497559f909551ca1f9b7a55dbde3506&CallStatus=in-progress&Called=%2B447700900123&CalledCity=&CalledCountry=GB&CalledState=&CalledZip=&Caller=%2B447700900500&CallerCity=&CallerCountry=GB&CallerState=&CallerZip=&Digits=1&Direction=outbound-api&FinishedOnKey=&From=%2B447700900500&FromCity=&FromCountry=GB&FromState=&FromZip=&To=%2B447700900123&ToCity=&ToCountry=GB&ToState=&ToZip=&msg=Gather+End
"""#,
        "inbound_sms_webhook.form": #"""
ToCountry=GB&ToState=&SmsMessageSid=SMf6ae3ba65f81767e3ad95ab0a155e3f3&NumMedia=0&ToCity=&FromZip=&SmsSid=SMf6ae3ba65f81767e3ad95ab0a155e3f3&FromState=&SmsStatus=received&FromCity=&Body=ACK+4821+%E2%80%93+on+it&FromCountry=GB&To=%2B447700900500&ToZip=&NumSegments=1&MessageSid=SMf6ae3ba65f81767e3ad95ab0a155e3f3&AccountSid=ACedf4d5fe3e00e6f515b456eda2e535e3&From=%2B447700900123&ApiVersion=2010-04-01
"""#,
        "message_create_201.json": #"""
{
  "account_sid": "ACedf4d5fe3e00e6f515b456eda2e535e3",
  "api_version": "2010-04-01",
  "body": "[P1] db-primary-eu1 disk 97% full. Reply ACK 4821 to acknowledge or open https://pager.example.eu/a/4821?t=Qm9vdHN0cmFw",
  "date_created": "Tue, 10 Mar 2026 09:14:05 +0000",
  "date_sent": null,
  "date_updated": "Tue, 10 Mar 2026 09:14:05 +0000",
  "direction": "outbound-api",
  "error_code": null,
  "error_message": null,
  "from": "+447700900500",
  "messaging_service_sid": null,
  "num_media": "0",
  "num_segments": "1",
  "price": null,
  "price_unit": "USD",
  "sid": "SM2bd279a090a4f437442a3e3a17741a21",
  "status": "queued",
  "subresource_uris": {
    "media": "/2010-04-01/Accounts/ACedf4d5fe3e00e6f515b456eda2e535e3/Messages/SM2bd279a090a4f437442a3e3a17741a21/Media.json"
  },
  "to": "+447700900123",
  "uri": "/2010-04-01/Accounts/ACedf4d5fe3e00e6f515b456eda2e535e3/Messages/SM2bd279a090a4f437442a3e3a17741a21.json"
}

"""#,
        "message_create_error_400_21211.json": #"""
{
  "code": 21211,
  "message": "The 'To' number +44770090012 is not a valid phone number.",
  "more_info": "https://www.twilio.com/docs/errors/21211",
  "status": 400
}

"""#,
        "message_create_request.form": #"""
To=%2B447700900123&From=%2B447700900500&Body=%5BP1%5D+db-primary-eu1+disk+97%25+full.+Reply+ACK+4821+to+acknowledge+or+open+https%3A%2F%2Fpager.example.eu%2Fa%2F4821%3Ft%3DQm9vdHN0cmFw&StatusCallback=https%3A%2F%2Fpager.example.eu%2Fhooks%2Ftwilio%2Fsms-status%3Fpage%3Dpg_7Hk2
"""#,
        "message_status_delivered.form": #"""
SmsSid=SM2bd279a090a4f437442a3e3a17741a21&SmsStatus=delivered&MessageStatus=delivered&To=%2B447700900123&MessageSid=SM2bd279a090a4f437442a3e3a17741a21&AccountSid=ACedf4d5fe3e00e6f515b456eda2e535e3&From=%2B447700900500&ApiVersion=2010-04-01&RawDlrDoneDate=2603100914
"""#,
        "message_status_failed.form": #"""
ErrorCode=30008&SmsSid=SM9db7b5d3195190363fec0d8116a5f3b5&SmsStatus=failed&MessageStatus=failed&To=%2B447700900123&MessageSid=SM9db7b5d3195190363fec0d8116a5f3b5&AccountSid=ACedf4d5fe3e00e6f515b456eda2e535e3&From=%2B447700900500&ApiVersion=2010-04-01
"""#,
        "message_status_undelivered.form": #"""
ErrorCode=30003&SmsSid=SM9db7b5d3195190363fec0d8116a5f3b5&SmsStatus=undelivered&MessageStatus=undelivered&To=%2B447700900123&MessageSid=SM9db7b5d3195190363fec0d8116a5f3b5&AccountSid=ACedf4d5fe3e00e6f515b456eda2e535e3&From=%2B447700900500&ApiVersion=2010-04-01
"""#,
        "signature_vectors.json": #"""
{
  "published_reference": {
    "description": "Twilio's long-standing documentation example (token '12345'); reproduced by the library and by hand",
    "url": "https://mycompany.com/myapp.php?foo=1&bar=2",
    "auth_token": "12345",
    "params": {
      "CallSid": "CA1234567890ABCDE",
      "Caller": "+12349013030",
      "Digits": "1234",
      "From": "+12349013030",
      "To": "+18005551212"
    },
    "expected_signature": "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
  },
  "algorithm": "X-Twilio-Signature = base64(HMAC-SHA1(key=AuthToken, msg=URL + concat(sorted(name) + value)))",
  "oracle": "twilio (PyPI) 9.13.0 twilio.request_validator.RequestValidator.compute_signature, cross-checked by an independent hmac/hashlib implementation",
  "vectors": [
    {
      "id": 1,
      "description": "form POST, inbound SMS, UTF-8 body with en dash (sign the DECODED value)",
      "url": "https://pager.example.eu/hooks/twilio/sms",
      "auth_token": "02509860a76422650dfe0baed95e4389",
      "params": {
        "AccountSid": "ACedf4d5fe3e00e6f515b456eda2e535e3",
        "ApiVersion": "2010-04-01",
        "Body": "ACK 4821 – on it",
        "From": "+447700900123",
        "FromCity": "",
        "FromCountry": "GB",
        "FromState": "",
        "FromZip": "",
        "MessageSid": "SMf6ae3ba65f81767e3ad95ab0a155e3f3",
        "NumMedia": "0",
        "NumSegments": "1",
        "SmsMessageSid": "SMf6ae3ba65f81767e3ad95ab0a155e3f3",
        "SmsSid": "SMf6ae3ba65f81767e3ad95ab0a155e3f3",
        "SmsStatus": "received",
        "To": "+447700900500",
        "ToCity": "",
        "ToCountry": "GB",
        "ToState": "",
        "ToZip": ""
      },
      "string_to_sign": "https://pager.example.eu/hooks/twilio/smsAccountSidACedf4d5fe3e00e6f515b456eda2e535e3ApiVersion2010-04-01BodyACK 4821 – on itFrom+447700900123FromCityFromCountryGBFromStateFromZipMessageSidSMf6ae3ba65f81767e3ad95ab0a155e3f3NumMedia0NumSegments1SmsMessageSidSMf6ae3ba65f81767e3ad95ab0a155e3f3SmsSidSMf6ae3ba65f81767e3ad95ab0a155e3f3SmsStatusreceivedTo+447700900500ToCityToCountryGBToStateToZip",
      "expected_signature": "NAvzcYVGiZEPD5267WXZdf/DAz8=",
      "note_port": "twilio-python validate() also accepts the signature computed over the URL with an explicit default port (:443) - compute_signature(url_with_443) = SrcRVzleNM2fEVbc9lvmIVKmT3w="
    },
    {
      "id": 2,
      "description": "form POST, Gather callback; full URL incl. query string; 'msg' key sorts last",
      "url": "https://pager.example.eu/hooks/twilio/voice/gather?page=pg_7Hk2&attempt=1",
      "auth_token": "02509860a76422650dfe0baed95e4389",
      "params": {
        "AccountSid": "ACedf4d5fe3e00e6f515b456eda2e535e3",
        "ApiVersion": "2010-04-01",
        "CallSid": "CAd497559f909551ca1f9b7a55dbde3506",
        "CallStatus": "in-progress",
        "Called": "+447700900123",
        "CalledCity": "",
        "CalledCountry": "GB",
        "CalledState": "",
        "CalledZip": "",
        "Caller": "+447700900500",
        "CallerCity": "",
        "CallerCountry": "GB",
        "CallerState": "",
        "CallerZip": "",
        "Digits": "1",
        "Direction": "outbound-api",
        "FinishedOnKey": "",
        "From": "+447700900500",
        "FromCity": "",
        "FromCountry": "GB",
        "FromState": "",
        "FromZip": "",
        "To": "+447700900123",
        "ToCity": "",
        "ToCountry": "GB",
        "ToState": "",
        "ToZip": "",
        "msg": "Gather End"
      },
      "string_to_sign": "https://pager.example.eu/hooks/twilio/voice/gather?page=pg_7Hk2&attempt=1AccountSidACedf4d5fe3e00e6f515b456eda2e535e3ApiVersion2010-04-01CallSidCAd497559f909551ca1f9b7a55dbde3506CallStatusin-progressCalled+447700900123CalledCityCalledCountryGBCalledStateCalledZipCaller+447700900500CallerCityCallerCountryGBCallerStateCallerZipDigits1Directionoutbound-apiFinishedOnKeyFrom+447700900500FromCityFromCountryGBFromStateFromZipTo+447700900123ToCityToCountryGBToStateToZipmsgGather End",
      "expected_signature": "C5QML1u9vpZ/g+nh4KiuJCHfUas=",
      "note_port": "twilio-python validate() also accepts the signature computed over the URL with an explicit default port (:443) - compute_signature(url_with_443) = Zsj5QMmKn48C5BJ7bWx0L55s5Wc="
    },
    {
      "id": 3,
      "description": "JSON body (Content-Type: application/json): URL carries bodySHA256=hex(sha256(raw body)); no params appended",
      "url": "https://pager.example.eu/hooks/twilio/events?bodySHA256=be0dcf4178d2673a86414ffdcb964699f1a2c6af99798e3d4fd2747c5e6672a3",
      "auth_token": "02509860a76422650dfe0baed95e4389",
      "params": {},
      "string_to_sign": "https://pager.example.eu/hooks/twilio/events?bodySHA256=be0dcf4178d2673a86414ffdcb964699f1a2c6af99798e3d4fd2747c5e6672a3",
      "expected_signature": "tJrqFD2uClHOmTWpoVx6YvGNruc=",
      "raw_body": "{\"MessageSid\":\"SM2bd279a090a4f437442a3e3a17741a21\",\"MessageStatus\":\"delivered\",\"AccountSid\":\"ACedf4d5fe3e00e6f515b456eda2e535e3\",\"To\":\"+447700900123\",\"From\":\"+447700900500\"}",
      "body_sha256_hex": "be0dcf4178d2673a86414ffdcb964699f1a2c6af99798e3d4fd2747c5e6672a3",
      "note_port": "twilio-python validate() also accepts the signature computed over the URL with an explicit default port (:443) - compute_signature(url_with_443) = 6ka1gRk7Ywk6oZKVRMAMwYKBmi4="
    },
    {
      "id": 4,
      "description": "NEGATIVE: same params as vector 1 but URL reconstructed as http:// behind a TLS-terminating proxy; must NOT validate against vector 1's signature",
      "url": "http://pager.example.eu/hooks/twilio/sms",
      "auth_token": "02509860a76422650dfe0baed95e4389",
      "params": {
        "AccountSid": "ACedf4d5fe3e00e6f515b456eda2e535e3",
        "ApiVersion": "2010-04-01",
        "Body": "ACK 4821 – on it",
        "From": "+447700900123",
        "FromCity": "",
        "FromCountry": "GB",
        "FromState": "",
        "FromZip": "",
        "MessageSid": "SMf6ae3ba65f81767e3ad95ab0a155e3f3",
        "NumMedia": "0",
        "NumSegments": "1",
        "SmsMessageSid": "SMf6ae3ba65f81767e3ad95ab0a155e3f3",
        "SmsSid": "SMf6ae3ba65f81767e3ad95ab0a155e3f3",
        "SmsStatus": "received",
        "To": "+447700900500",
        "ToCity": "",
        "ToCountry": "GB",
        "ToState": "",
        "ToZip": ""
      },
      "signature_presented": "NAvzcYVGiZEPD5267WXZdf/DAz8=",
      "signature_for_this_url": "JUbUmdRmwoiZUl/P8hohJizmfV0=",
      "expected_valid": false
    }
  ]
}

"""#,
        "voice_ack.twiml.xml": #"""
<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <Say language="en-GB">Acknowledged. Thank you.</Say>
  <Hangup/>
</Response>

"""#,
        "voice_page.twiml.xml": #"""
<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <Gather input="dtmf" numDigits="1" timeout="8" action="https://pager.example.eu/hooks/twilio/voice/gather?page=pg_7Hk2&amp;attempt=1" method="POST">
    <Say language="en-GB">Priority one alert. Database primary in E U one, disk ninety seven percent full. Press 1 to acknowledge. Press 2 to escalate to the next person.</Say>
  </Gather>
  <Redirect method="POST">https://pager.example.eu/hooks/twilio/voice/answer?page=pg_7Hk2&amp;attempt=2</Redirect>
</Response>

"""#,
        "webhooks_index.json": #"""
[
  {
    "file": "twilio/inbound_sms_webhook.form",
    "method": "POST",
    "url": "https://pager.example.eu/hooks/twilio/sms",
    "content_type": "application/x-www-form-urlencoded; charset=utf-8",
    "headers": {
      "X-Twilio-Signature": "NAvzcYVGiZEPD5267WXZdf/DAz8=",
      "I-Twilio-Idempotency-Token": null
    },
    "auth_token": "02509860a76422650dfe0baed95e4389",
    "note": "Inbound SMS reply to the pager number; Body contains a non-ASCII en dash."
  },
  {
    "file": "twilio/gather_callback.form",
    "method": "POST",
    "url": "https://pager.example.eu/hooks/twilio/voice/gather?page=pg_7Hk2&attempt=1",
    "content_type": "application/x-www-form-urlencoded; charset=utf-8",
    "headers": {
      "X-Twilio-Signature": "C5QML1u9vpZ/g+nh4KiuJCHfUas=",
      "I-Twilio-Idempotency-Token": null
    },
    "auth_token": "02509860a76422650dfe0baed95e4389",
    "note": "Gather action callback; URL carries a query string which is part of the signed URL. Note lowercase key 'msg' sorts after all capitalised keys."
  },
  {
    "file": "twilio/message_status_delivered.form",
    "method": "POST",
    "url": "https://pager.example.eu/hooks/twilio/sms-status?page=pg_7Hk2",
    "content_type": "application/x-www-form-urlencoded; charset=utf-8",
    "headers": {
      "X-Twilio-Signature": "UHjDQFzEPk1AFKEPkLaYbO7WUdw=",
      "I-Twilio-Idempotency-Token": null
    },
    "auth_token": "02509860a76422650dfe0baed95e4389",
    "note": "StatusCallback for a delivered SMS (RawDlrDoneDate is YYMMDDhhmm)."
  },
  {
    "file": "twilio/message_status_failed.form",
    "method": "POST",
    "url": "https://pager.example.eu/hooks/twilio/sms-status?page=pg_9Qa1",
    "content_type": "application/x-www-form-urlencoded; charset=utf-8",
    "headers": {
      "X-Twilio-Signature": "aJyORG/co7q2K0AmdMx4XizHt+w=",
      "I-Twilio-Idempotency-Token": null
    },
    "auth_token": "02509860a76422650dfe0baed95e4389",
    "note": "StatusCallback for a failed SMS with ErrorCode 30008 (unknown error)."
  },
  {
    "file": "twilio/message_status_undelivered.form",
    "method": "POST",
    "url": "https://pager.example.eu/hooks/twilio/sms-status?page=pg_9Qa1",
    "content_type": "application/x-www-form-urlencoded; charset=utf-8",
    "headers": {
      "X-Twilio-Signature": "z1HJvOMB9j2h6kjNeuNGqhbcBc4=",
      "I-Twilio-Idempotency-Token": null
    },
    "auth_token": "02509860a76422650dfe0baed95e4389",
    "note": "StatusCallback: carrier reported handset unreachable (30003)."
  },
  {
    "file": "twilio/call_status_completed.form",
    "method": "POST",
    "url": "https://pager.example.eu/hooks/twilio/voice/status?page=pg_7Hk2",
    "content_type": "application/x-www-form-urlencoded; charset=utf-8",
    "headers": {
      "X-Twilio-Signature": "Qs/N0rft3yl8TpFRAns6QrNeyic=",
      "I-Twilio-Idempotency-Token": null
    },
    "auth_token": "02509860a76422650dfe0baed95e4389",
    "note": "Call StatusCallback, final 'completed' event (CallDuration seconds, Duration billed minutes)."
  },
  {
    "file": "twilio/call_status_no_answer.form",
    "method": "POST",
    "url": "https://pager.example.eu/hooks/twilio/voice/status?page=pg_9Qa1",
    "content_type": "application/x-www-form-urlencoded; charset=utf-8",
    "headers": {
      "X-Twilio-Signature": "dNcDw5uYSCbhDLoxrpCWLWABDyg=",
      "I-Twilio-Idempotency-Token": null
    },
    "auth_token": "02509860a76422650dfe0baed95e4389",
    "note": "Call StatusCallback when the engineer did not pick up within Timeout."
  }
]

"""#,
    ]

    static func text(_ file: String) -> String {
        guard let text = files[file] else { fatalError("no fixture \(file)") }
        return text
    }

    static func bytes(_ file: String) -> [UInt8] { Array(text(file).utf8) }

    static func json(_ file: String) -> Any {
        // The copies are fixed text; a parse failure is a broken copy.
        try! JSONSerialization.jsonObject(with: Data(text(file).utf8))
    }
}
