import { TopoError } from '@topo/topology-dsl';

/** What a template may depend on: values for `{{key}}`, switches for `{{#key}}`/`{{^key}}` blocks. */
export interface TemplateInput {
  values: Readonly<Record<string, string>>;
  switches: Readonly<Record<string, boolean>>;
}

const BLOCK = /\{\{([#^])(\w+)\}\}\n?([\s\S]*?)\{\{\/\2\}\}\n?/g;
const VALUE = /\{\{(\w+)\}\}/g;

/**
 * Fills a project template: `{{#python}}...{{/python}}` keeps its text when the switch
 * is on, `{{^python}}...{{/python}}` when it is off (a block's own line breaks go with
 * its markers), and `{{name}}` is replaced by its value. An unknown key is a bug in the
 * template, so it throws rather than leaving braces in the user's project.
 */
export function renderTemplate(text: string, input: TemplateInput, file: string): string {
  const known = (key: string, table: Readonly<Record<string, unknown>>): void => {
    if (!Object.hasOwn(table, key)) throw new TopoError(`template ${file} uses {{${key}}}, which topo init does not define`, { file, key });
  };
  return text
    .replace(BLOCK, (_block, kind: string, key: string, body: string) => {
      known(key, input.switches);
      return input.switches[key] === (kind === '#') ? body : '';
    })
    .replace(VALUE, (_value, key: string) => {
      known(key, input.values);
      return input.values[key];
    });
}
