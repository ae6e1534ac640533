/// The OpenAPI 3 description of the service, served at `/openapi.yaml`. The record-type enum is
/// filled in from the pack in force; `scripts/check_server.sh` validates the document and runs
/// schemathesis against the running server, so it stays true.
enum OpenAPIDocument {
    static func yaml(recordTypes: [String]) -> String {
        let types = recordTypes.map { "\"\($0)\"" }.joined(separator: ", ")
        return template.replacingOccurrences(of: "__RECORD_TYPES__", with: "[\(types)]")
    }

    private static let template = #"""
openapi: 3.0.3
info:
  title: policycheck
  version: 0.1.0
  description: >-
    Checks decision, spending and activity records against the rules of a policy pack (the bundled
    pack encodes 绍政发〔2022〕6号). Reports are the JSON report of `policycheck check --format json`.
    When the server runs with --token-file, every /v1/* request needs `Authorization: Bearer <token>`.
servers:
  - url: /
tags:
  - name: check
  - name: pack
  - name: operations
paths:
  /v1/check:
    post:
      tags: [check]
      operationId: check
      summary: Check one record or a list of records
      description: >-
        JSON, or YAML by Content-Type (application/yaml, application/x-yaml, text/yaml). The answer is 200
        whether or not there are findings; the Policycheck-Outcome header says pass, fail (findings at or
        above fail_on) or incomplete (input errors). Locations read `request.json:LINE:COLUMN`.
      security:
        - {}
        - bearer: []
      parameters:
        - $ref: "#/components/parameters/lang"
        - $ref: "#/components/parameters/failOn"
      requestBody:
        required: true
        content:
          application/json:
            schema:
              oneOf:
                - $ref: "#/components/schemas/Record"
                - type: array
                  items:
                    $ref: "#/components/schemas/Record"
          application/yaml:
            schema:
              description: one record or a list of records (several YAML documents are read too)
              oneOf:
                - $ref: "#/components/schemas/Record"
                - type: array
                  items:
                    $ref: "#/components/schemas/Record"
      responses:
        "200":
          $ref: "#/components/responses/Report"
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "413":
          $ref: "#/components/responses/TooLarge"
        "415":
          $ref: "#/components/responses/UnsupportedMediaType"
        "422":
          $ref: "#/components/responses/UnknownRecordType"
  /v1/audit:
    post:
      tags: [check]
      operationId: audit
      summary: Audit a batch file with the per-record and the aggregate rules
      description: >-
        The raw file is the body: text/csv (UTF-8 or GB18030), application/x-ndjson (JSON Lines) or an XLSX
        workbook. The report adds an `audit` object (rows read, period, findings by rule and by unit). A body
        that is a string but not a readable table (no header row, a header that names no record type) is
        answered 400 or 422 with the located input errors, as for /v1/check.
      security:
        - {}
        - bearer: []
      parameters:
        - $ref: "#/components/parameters/lang"
        - $ref: "#/components/parameters/failOn"
        - name: type
          in: query
          required: false
          description: record type of tables whose header should not decide it
          schema:
            type: string
            enum: __RECORD_TYPES__
        - name: period
          in: query
          required: false
          description: the audit period, a year or FIRST..LAST from 2000 to 2099 (default the years the data spans)
          schema:
            type: string
            pattern: "^20[0-9]{2}([.][.]20[0-9]{2})?$"
      requestBody:
        required: true
        content:
          text/csv:
            schema:
              type: string
              minLength: 1
          application/x-ndjson:
            schema:
              type: string
              minLength: 1
          application/vnd.openxmlformats-officedocument.spreadsheetml.sheet:
            schema:
              type: string
              format: binary
              minLength: 1
      responses:
        "200":
          $ref: "#/components/responses/Report"
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "413":
          $ref: "#/components/responses/TooLarge"
        "415":
          $ref: "#/components/responses/UnsupportedMediaType"
        "422":
          $ref: "#/components/responses/UnknownRecordType"
  /v1/rules:
    get:
      tags: [pack]
      operationId: listRules
      summary: Every rule of the pack in force
      security:
        - {}
        - bearer: []
      responses:
        "200":
          description: the rules
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/RuleList"
        "401":
          $ref: "#/components/responses/Unauthorized"
  /v1/rules/{id}:
    get:
      tags: [pack]
      operationId: showRule
      summary: One rule, with its clause's words, expressions and parameters
      security:
        - {}
        - bearer: []
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
          example: SX-09-LEGALITY-REVIEW
      responses:
        "200":
          description: the rule
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/RuleDetail"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "404":
          $ref: "#/components/responses/NotFound"
  /v1/coverage:
    get:
      tags: [pack]
      operationId: coverage
      summary: The clause table — each clause, its status, its rules, what stays manual
      security:
        - {}
        - bearer: []
      responses:
        "200":
          description: the clause table
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Coverage"
        "401":
          $ref: "#/components/responses/Unauthorized"
  /v1/schemas:
    get:
      tags: [pack]
      operationId: listSchemas
      summary: The record types of the pack
      security:
        - {}
        - bearer: []
      responses:
        "200":
          description: the record types
          content:
            application/json:
              schema:
                type: object
                required: [pack, schemas]
                properties:
                  pack:
                    $ref: "#/components/schemas/PackInfo"
                  schemas:
                    type: array
                    items:
                      type: object
                      required: [name, title]
                      properties:
                        name:
                          type: string
                        title:
                          $ref: "#/components/schemas/LocalizedText"
        "401":
          $ref: "#/components/responses/Unauthorized"
  /v1/schemas/{type}:
    get:
      tags: [pack]
      operationId: showSchema
      summary: One record type's fields, as a form needs them
      security:
        - {}
        - bearer: []
      parameters:
        - name: type
          in: path
          required: true
          schema:
            type: string
          example: decision
      responses:
        "200":
          description: the record type
          content:
            application/json:
              schema:
                type: object
                required: [name, title, fields]
                properties:
                  name:
                    type: string
                  title:
                    $ref: "#/components/schemas/LocalizedText"
                  fields:
                    type: array
                    items:
                      $ref: "#/components/schemas/Field"
        "401":
          $ref: "#/components/responses/Unauthorized"
        "404":
          $ref: "#/components/responses/NotFound"
  /healthz:
    get:
      tags: [operations]
      operationId: healthz
      summary: The process is alive
      responses:
        "200":
          description: alive
          content:
            application/json:
              schema:
                type: object
                required: [status]
                properties:
                  status:
                    type: string
                    enum: [ok]
  /readyz:
    get:
      tags: [operations]
      operationId: readyz
      summary: A pack is loaded; its id and content hash
      responses:
        "200":
          description: ready
          content:
            application/json:
              schema:
                type: object
                required: [status, pack]
                properties:
                  status:
                    type: string
                    enum: [ready]
                  pack:
                    type: object
                    required: [id, document, hash, loadedAt, rules, recordTypes]
                    properties:
                      id:
                        type: string
                      document:
                        type: string
                      hash:
                        type: string
                        pattern: "^sha256:[0-9a-f]{64}$"
                      loadedAt:
                        type: string
                        format: date-time
                      rules:
                        type: integer
                      recordTypes:
                        type: array
                        items:
                          type: string
  /metrics:
    get:
      tags: [operations]
      operationId: metrics
      summary: Requests and latency by route, findings by rule, in the Prometheus text format
      responses:
        "200":
          description: metrics
          content:
            text/plain:
              schema:
                type: string
  /openapi.yaml:
    get:
      tags: [operations]
      operationId: openapi
      summary: This description
      responses:
        "200":
          description: the OpenAPI document
          content:
            application/yaml:
              schema:
                type: object
  /:
    get:
      tags: [operations]
      operationId: page
      summary: The clerk's page (Chinese, with an English switch)
      responses:
        "200":
          description: one self-contained HTML page
          content:
            text/html:
              schema:
                type: string
components:
  securitySchemes:
    bearer:
      type: http
      scheme: bearer
  parameters:
    lang:
      name: lang
      in: query
      required: false
      description: language of the findings' messages (default zh)
      schema:
        type: string
        enum: [zh, en]
    failOn:
      name: fail_on
      in: query
      required: false
      description: the lowest severity that makes the outcome `fail` (default error); the status stays 200
      schema:
        type: string
        enum: [error, warning, info]
  headers:
    Outcome:
      description: pass, fail (findings at or above fail_on) or incomplete (input errors)
      schema:
        type: string
        enum: [pass, fail, incomplete]
    ExitCode:
      description: the exit code `policycheck check` would give
      schema:
        type: string
        enum: ["0", "1", "2"]
    PackHash:
      description: the content hash of the pack that answered
      schema:
        type: string
  responses:
    Report:
      description: the report, whether or not there are findings; input errors inside it
      headers:
        Policycheck-Outcome:
          $ref: "#/components/headers/Outcome"
        Policycheck-Exit-Code:
          $ref: "#/components/headers/ExitCode"
        Policycheck-Pack-Hash:
          $ref: "#/components/headers/PackHash"
      content:
        application/json:
          schema:
            $ref: "#/components/schemas/Report"
    BadRequest:
      description: >-
        the body could not be read as records (a syntax error, not UTF-8, empty, not a record), or a
        query parameter is wrong; the report carries the located input errors
      content:
        application/json:
          schema:
            $ref: "#/components/schemas/Report"
    TooLarge:
      description: the body is over the limit (--max-body, default 1 MiB; --max-audit-body, default 16 MiB)
      content:
        application/json:
          schema:
            $ref: "#/components/schemas/Report"
    UnsupportedMediaType:
      description: the Content-Type is not one this endpoint reads
      content:
        application/json:
          schema:
            $ref: "#/components/schemas/Report"
    UnknownRecordType:
      description: a record names a type the pack does not have, or none, or not as a name (code unknown-record-type or wrong-kind)
      content:
        application/json:
          schema:
            $ref: "#/components/schemas/Report"
    Unauthorized:
      description: the server was started with --token-file and the request has no valid bearer token
      content:
        application/json:
          schema:
            $ref: "#/components/schemas/Problem"
    NotFound:
      description: no such rule or record type
      content:
        application/json:
          schema:
            $ref: "#/components/schemas/Problem"
  schemas:
    Record:
      type: object
      required: [type]
      description: a record of one of the pack's types, its fields named as the type's schema names them
      properties:
        type:
          type: string
          enum: __RECORD_TYPES__
      additionalProperties: true
    LocalizedText:
      type: object
      required: [zh, en]
      properties:
        zh:
          type: string
        en:
          type: string
    Problem:
      type: object
      required: [error]
      properties:
        error:
          type: object
          required: [code, message, status]
          properties:
            code:
              type: string
            message:
              type: string
            status:
              type: integer
    Source:
      type: object
      required: [file, line, column]
      properties:
        file:
          type: string
        line:
          type: integer
        column:
          type: integer
    InputProblem:
      type: object
      required: [code, message]
      properties:
        code:
          type: string
        message:
          type: string
        file:
          type: string
        line:
          type: integer
        column:
          type: integer
        help:
          type: string
    Finding:
      type: object
      required: [rule, severity, clause, kind, message, record, values, group, waived]
      properties:
        rule:
          type: string
        severity:
          type: string
          enum: [error, warning, info]
        clause:
          type: string
        kind:
          type: string
          enum: [violation, not-evaluated]
        message:
          type: string
        record:
          type: object
          nullable: true
          required: [id, type, source]
          properties:
            id:
              type: string
            type:
              type: string
            source:
              $ref: "#/components/schemas/Source"
        values:
          type: object
          additionalProperties: true
        group:
          type: object
          nullable: true
          additionalProperties: true
        waived:
          nullable: true
    Report:
      type: object
      required: [tool, pack, summary, violations, inputErrors, inputWarnings]
      properties:
        tool:
          type: object
          required: [name, version]
          properties:
            name:
              type: string
            version:
              type: string
        pack:
          type: object
          required: [id, document]
          properties:
            id:
              type: string
            document:
              type: string
        summary:
          type: object
          required: [records, violations, error, warning, info, waived, inputErrors]
          properties:
            records:
              type: integer
            violations:
              type: integer
            error:
              type: integer
            warning:
              type: integer
            info:
              type: integer
            waived:
              type: integer
            inputErrors:
              type: integer
        violations:
          type: array
          items:
            $ref: "#/components/schemas/Finding"
        inputErrors:
          type: array
          items:
            $ref: "#/components/schemas/InputProblem"
        inputWarnings:
          type: array
          items:
            $ref: "#/components/schemas/InputProblem"
        audit:
          type: object
          properties:
            rowsRead:
              type: integer
            period:
              type: string
            findingsByRule:
              type: object
              additionalProperties:
                type: integer
            findingsByUnit:
              type: object
              additionalProperties:
                type: integer
    PackInfo:
      type: object
      required: [id, document, title, hash]
      properties:
        id:
          type: string
        document:
          type: string
        title:
          $ref: "#/components/schemas/LocalizedText"
        hash:
          type: string
    RuleInfo:
      type: object
      required: [id, title, clause, clauseTitle, severity, appliesTo, aggregate, enabled, basis, source]
      properties:
        id:
          type: string
        title:
          $ref: "#/components/schemas/LocalizedText"
        clause:
          type: string
        clauseTitle:
          $ref: "#/components/schemas/LocalizedText"
        severity:
          type: string
          enum: [error, warning, info]
        appliesTo:
          type: string
        aggregate:
          type: boolean
        enabled:
          type: boolean
        basis:
          type: string
        source:
          type: string
    RuleList:
      type: object
      required: [pack, rules]
      properties:
        pack:
          $ref: "#/components/schemas/PackInfo"
        rules:
          type: array
          items:
            $ref: "#/components/schemas/RuleInfo"
    RuleDetail:
      type: object
      required: [rule, clauseText, lets, parameters]
      properties:
        rule:
          $ref: "#/components/schemas/RuleInfo"
        clauseText:
          type: string
        when:
          type: string
        require:
          type: string
        lets:
          type: array
          items:
            type: object
            required: [name, expression]
            properties:
              name:
                type: string
              expression:
                type: string
        parameters:
          type: array
          items:
            type: object
            required: [name, value, unit, source]
            properties:
              name:
                type: string
              value:
                nullable: true
              unit:
                type: string
              source:
                type: string
    Coverage:
      type: object
      required: [pack, document, rows]
      properties:
        pack:
          type: string
        document:
          type: string
        rows:
          type: array
          items:
            type: object
            required: [clause, part, title, titleEnglish, status, rules, manual]
            properties:
              clause:
                type: string
              part:
                type: string
              title:
                type: string
              titleEnglish:
                type: string
              status:
                type: string
                enum: [encoded, partial, manual]
              rules:
                type: array
                items:
                  type: string
              manual:
                type: string
    Field:
      type: object
      required: [name, type, required, aliases]
      properties:
        name:
          type: string
        type:
          type: string
        required:
          type: boolean
        values:
          type: array
          items:
            type: string
        aliases:
          type: array
          items:
            type: string
        description:
          $ref: "#/components/schemas/LocalizedText"
        fields:
          type: array
          items:
            $ref: "#/components/schemas/Field"
security: []
"""#
}
