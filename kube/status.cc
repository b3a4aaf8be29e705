#include "kube/status.h"

#include "kube/json_text.h"

namespace kcache {

std::string Status::ToJson() const {
  std::string out = R"({"kind":"Status","apiVersion":"v1","metadata":{)";
  if (!continue_token.empty()) {
    out += R"("continue":)";
    AppendJsonString(out, continue_token);
  }
  out += R"(},"status":"Failure")";
  if (!message.empty()) {
    out += R"(,"message":)";
    AppendJsonString(out, message);
  }
  if (!reason.empty()) {
    out += R"(,"reason":)";
    AppendJsonString(out, reason);
  }
  if (has_details) {
    out += R"(,"details":{)";
    bool first = true;
    auto field = [&](std::string_view name, std::string_view value) {
      if (value.empty()) return;
      if (!first) out += ',';
      first = false;
      AppendJsonString(out, name);
      out += ':';
      AppendJsonString(out, value);
    };
    field("name", details_name);
    field("group", details_group);
    field("kind", details_kind);
    if (!causes.empty()) {
      if (!first) out += ',';
      first = false;
      out += R"("causes":[)";
      for (size_t i = 0; i < causes.size(); ++i) {
        if (i) out += ',';
        out += '{';
        bool first_cause_field = true;
        auto cause_field = [&](std::string_view name, std::string_view value) {
          if (value.empty()) return;
          if (!first_cause_field) out += ',';
          first_cause_field = false;
          AppendJsonString(out, name);
          out += ':';
          AppendJsonString(out, value);
        };
        cause_field("reason", causes[i].reason);
        cause_field("message", causes[i].message);
        cause_field("field", causes[i].field);
        out += '}';
      }
      out += ']';
    }
    if (retry_after_seconds > 0) {
      if (!first) out += ',';
      out += R"("retryAfterSeconds":)" + std::to_string(retry_after_seconds);
    }
    out += '}';
  }
  out += R"(,"code":)" + std::to_string(code) + "}\n";
  return out;
}

std::string QualifiedResource(std::string_view resource, std::string_view group) {
  std::string out(resource);
  if (!group.empty()) {
    out += '.';
    out += group;
  }
  return out;
}

Status BadRequest(std::string message) {
  return Status{.reason = "BadRequest", .message = std::move(message), .code = 400};
}

Status NotFound(std::string_view resource, std::string_view group, std::string_view name) {
  Status s{.reason = "NotFound", .code = 404};
  s.message = QualifiedResource(resource, group) + " \"" + std::string(name) + "\" not found";
  s.has_details = true;
  s.details_name = name;
  s.details_group = group;
  s.details_kind = resource;
  return s;
}

Status Invalid(std::string_view kind, std::string_view group, std::string_view name,
               std::vector<StatusCause> causes) {
  Status s{.reason = "Invalid", .code = 422};
  std::string aggregate;
  if (causes.size() == 1) {
    aggregate = causes[0].field + ": " + causes[0].message;
  } else {
    aggregate = "[";
    for (size_t i = 0; i < causes.size(); ++i) {
      if (i) aggregate += ", ";
      aggregate += causes[i].field + ": " + causes[i].message;
    }
    aggregate += "]";
  }
  s.message = std::string(kind) + "." + std::string(group) + " \"" + std::string(name) +
              "\" is invalid: " + aggregate;
  s.has_details = true;
  s.details_name = name;
  s.details_group = group;
  s.details_kind = kind;
  s.causes = std::move(causes);
  return s;
}

Status Expired(std::string message) {
  return Status{.reason = "Expired", .message = std::move(message), .code = 410};
}

Status TooLargeResourceVersion(unsigned long long requested, unsigned long long current) {
  Status s{.reason = "Timeout", .code = 504};
  s.message = "Timeout: Too large resource version: " + std::to_string(requested) +
              ", current: " + std::to_string(current);
  s.has_details = true;
  s.causes.push_back({.reason = "ResourceVersionTooLarge", .message = "Too large resource version"});
  s.retry_after_seconds = 1;
  return s;
}

Status InternalError(std::string_view error) {
  Status s{.reason = "InternalError", .code = 500};
  s.message = "Internal error occurred: " + std::string(error);
  s.has_details = true;
  s.causes.push_back({.message = std::string(error)});
  return s;
}

Status MethodNotAllowed(std::string_view verb, std::string_view resource, std::string_view group) {
  Status s{.reason = "MethodNotAllowed", .code = 405};
  s.message = std::string(verb) + " is not supported on resources of kind \"" +
              QualifiedResource(resource, group) + "\"";
  s.has_details = true;
  s.details_group = group;
  s.details_kind = resource;
  return s;
}

Status ServiceUnavailable(std::string message, int retry_after_seconds) {
  Status s{.reason = "ServiceUnavailable", .message = std::move(message), .code = 503};
  s.has_details = true;
  s.retry_after_seconds = retry_after_seconds;
  return s;
}

Status TooManyRequests(std::string message, int retry_after_seconds) {
  Status s{.reason = "TooManyRequests", .message = std::move(message), .code = 429};
  s.has_details = true;
  s.retry_after_seconds = retry_after_seconds;
  return s;
}

Status Timeout(std::string message) {
  Status s{.reason = "Timeout", .message = std::move(message), .code = 504};
  s.has_details = true;
  return s;
}

std::string_view ReasonPhrase(int code) {
  switch (code) {
    case 200: return "OK";
    case 201: return "Created";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 413: return "Request Entity Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
  }
}

}  // namespace kcache
