// The CLI's command names and usage lines. Kept apart from the commands so that `--help`, an unknown command and a
// usage error print without loading the workbook code (SQLite, the schemas, the CSV parser).

export class UsageError extends Error {}

const HELP = {
  init: 'init FILE [--demo]                       create a workbook (--demo: with the demo figures)',
  import:
    'import FILE CSV [--mapping M.json] [--number-format 1.234,5] [--dry-run] [--partial [--errors E.csv]]\n' +
    '                                           import figures; all or nothing unless --partial',
  export:
    'export FILE OUT.csv [--hxl] [--bom] [--manifest] [--metric M] [--source S] [--location L]\n' +
    '                    [--from DATE] [--to DATE] [--status S] [--include-retracted] [--recorded-on DATETIME]\n' +
    '                                           export figures with provenance (OUT - is stdout); --recorded-on:\n' +
    '                                           as the change log had them then (2024-05-20T14:30Z; a date: its end)',
  compare:
    'compare FILE --metric M [--location L] [--as-of DATE] [--window-days N] [--csv] [--recorded-on DATETIME]\n' +
    "                                           each source's latest figure, spread and ratios; older than N\n" +
    '                                           days (30) shown apart; --recorded-on: as recorded then, beside now\n' +
    '       workbench compare FILE --metric M [--location L] --from DATE --to DATE\n' +
    '                                           every figure of a period (aid trucks a day, a week), by period',
  history: 'history FILE FIGURE_ID                   every change of a figure, from the change log',
  check:
    'check FILE [--json]                      integrity and provenance checks, and the warnings of the checks\n' +
    '                                           (exit 0 when there are only warnings; --json: {"warnings": [...]})',
  backup: 'backup FILE OUT                          a consistent copy of the workbook',
  citation:
    'citation FILE CITATION_ID [--text PATH] [--uncaptured]\n' +
    "                                           a citation's document: attach a .txt, .html or .pdf file's text (--text);\n" +
    '                                           list the numbers it states that no figure captures yet (--uncaptured)',
  merge:
    'merge INTO FROM [--json]                 merge workbook FROM into INTO: every change INTO lacks, with its\n' +
    '                                           author, time and reason; the same entity changed on both is a\n' +
    '                                           conflict (both kept); possible duplicates are listed, not merged',
  conflicts:
    'conflicts FILE [--all] [--json] [--resolve ID --pick ours|theirs|a|b] [--why TEXT]\n' +
    '                                           the conflicts merges found; --resolve settles one (logged, undoable)',
  'merge-entities':
    'merge-entities FILE KEEP_ID DROP_ID [--why TEXT]\n' +
    '                                           one source, citation, metric or location into another: its figures\n' +
    '                                           repointed to KEEP_ID, DROP_ID removed (one logged transaction)',
  server:
    "server init URL                          create or upgrade the team server's schema and roles (as its owner)\n" +
    '       workbench server add-user URL NAME --role editor|viewer\n' +
    '                                           a login for a team member (password: prompted, or stdin)',
  sync:
    "sync FILE [--server URL] [--json]        pull the others' changes from the team server, push this workbook's\n" +
    '                                           (URL postgresql://user@host:port/database; password from a prompt,\n' +
    '                                           PGPASSWORD or ~/.pgpass; --server: the one synced last time)',
} as const;

export type CommandName = keyof typeof HELP;

export function isCommand(name: string): name is CommandName {
  return Object.hasOwn(HELP, name);
}

export function usage(command?: string): string {
  const lines = command && isCommand(command) ? [HELP[command]] : Object.values(HELP);
  return `usage: workbench ${lines.join('\n       workbench ')}\n`;
}
