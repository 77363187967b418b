"""UrlBolt in Python, written with Topo's Python adapter (topo_multilang): the same
streams as the TypeScript UrlBolt. Web URLs go out on `default` as host, path and the
number of distinct query keys; anything else on `invalid` as url and reason.

Python's urllib is laxer than the WHATWG parser the TypeScript bolt uses, so `parse_url`
adds the WHATWG rules that matter for real feeds: forbidden host characters, dotted
IPv4 ranges, IPv6 without zone ids, ports in range, IDN hosts as punycode, and
percent-encoded paths.
"""
import ipaddress
import re
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from topo_multilang import BasicBolt

SCHEME = re.compile(r'^\s*([A-Za-z][A-Za-z0-9+.-]*):')
WEB_SCHEME_WITHOUT_HOST = re.compile(r'^\s*https?:[/\\]*(?:[?#]|\s*$)', re.IGNORECASE)
# Dots that IDNA treats as label separators.
IDEOGRAPHIC_DOTS = re.compile('[\u3002\uff0e\uff61]')
FORBIDDEN_HOST = set(' #%/:<>?@[\\]^|')
# Printable ASCII outside the WHATWG path percent-encode set stays as it is.
PATH_SAFE = ''.join(chr(c) for c in range(0x21, 0x7f) if chr(c) not in '"#<>?`{}')


def parse_url(line):
    """(True, host, path, query_keys) for a web URL, else (False, reason)."""
    line = line.strip()
    scheme = SCHEME.match(line)
    if scheme is None:
        return (False, 'missing-scheme')
    if scheme.group(1).lower() not in ('http', 'https'):
        return (False, 'unsupported-scheme')
    if WEB_SCHEME_WITHOUT_HOST.match(line):
        return (False, 'empty-host')
    try:
        parts = urlsplit(line.replace('\\', '/'))
        parts.port  # raises for a port out of range or not a number
        host = web_host(parts)
    except ValueError:
        return (False, 'unparseable')
    if host.replace('.', '') == '':
        return (False, 'empty-host')
    path = quote(parts.path or '/', safe=PATH_SAFE)
    keys = {name for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
    return (True, host, path, len(keys))


def web_host(parts):
    """The host as the WHATWG parser normalizes it, or ValueError."""
    netloc = parts.netloc.rpartition('@')[2]
    if netloc.startswith('['):
        literal = netloc[1:netloc.index(']')]
        ipaddress.IPv6Address(literal)  # ValueError if not an address
        if '%' in literal:
            raise ValueError('zone ids are not allowed in URLs')
        return '[%s]' % ipaddress.IPv6Address(literal).compressed
    host = IDEOGRAPHIC_DOTS.sub('.', unquote(parts.hostname or ''))
    if host.replace('.', '') == '':
        return host
    if any(c in FORBIDDEN_HOST for c in host):
        raise ValueError('forbidden host character')
    try:
        host = host.encode('idna').decode('ascii').lower()
    except UnicodeError:
        raise ValueError('not a valid domain name')
    labels = host.rstrip('.').split('.')
    if labels[-1].isdigit():
        numbers = [int(label) if label.isdigit() else -1 for label in labels]
        if len(numbers) > 4 or any(n < 0 or n > 255 for n in numbers):
            raise ValueError('not a valid IPv4 address')
    return host


class UrlBolt(BasicBolt):
    def process(self, tup):
        line = str(tup.get('url'))
        parsed = parse_url(line)
        if parsed[0]:
            self.emit(list(parsed[1:]))
        else:
            self.emit([line, parsed[1]], stream='invalid')


if __name__ == '__main__':
    UrlBolt().run()
