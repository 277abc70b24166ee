import { describe, expect, it } from 'vitest';
import { InputError } from '../harness/errors.ts';
import { escapeXml, hierarchyOf, pageSourceXml, uiNode } from '../harness/simulation/device/ui-tree.ts';
import { compileXPath, type XNode } from '../harness/simulation/device/xpath.ts';

const b = (t: number): [number, number, number, number] => [0, t, 100, t + 50];
const ok = uiNode('android.widget.Button', 'p', {
  text: '同意并继续',
  resourceId: 'p:id/agree',
  clickable: true,
  bounds: b(0),
});
const no = uiNode('android.widget.Button', 'p', {
  text: '不同意',
  resourceId: 'p:id/disagree',
  clickable: true,
  bounds: b(60),
});
const title = uiNode('android.widget.TextView', 'p', { text: 'Agree', contentDesc: 'title', bounds: b(120) });
const list = uiNode(
  'android.widget.LinearLayout',
  'p',
  { resourceId: 'p:id/list', bounds: [0, 0, 100, 200] },
  [ok, no, title],
);
const root = hierarchyOf(
  {
    packageName: 'p',
    activity: 'A',
    root: uiNode('android.widget.FrameLayout', 'p', { bounds: [0, 0, 100, 200] }, [list]),
  },
  100,
  200,
);

const texts = (expr: string) => compileXPath(expr)(root).map((n: XNode) => n.attrs['text']);

describe('xpath subset', () => {
  it('matches attributes, functions, class names and positions', () => {
    expect(texts("//*[@text='Agree']")).toEqual(['Agree']);
    expect(texts("//android.widget.Button[@resource-id='p:id/disagree']")).toEqual(['不同意']);
    expect(texts("//*[contains(@text,'同意')]")).toEqual(['同意并继续', '不同意']);
    expect(texts("//*[starts-with(@resource-id,'p:id/d')]")).toEqual(['不同意']);
    expect(texts('//android.widget.Button[2]')).toEqual(['不同意']);
    expect(texts("//*[@clickable='true' and contains(text(),'继续')]")).toEqual(['同意并继续']);
    expect(texts("//*[@content-desc='title' or @text='不同意']")).toEqual(['不同意', 'Agree']);
    expect(texts("//*[@clickable!='true'][@text!='']")).toEqual(['Agree']);
    expect(texts('//*[@content-desc]')).toHaveLength(5); // every node but the hierarchy root
  });

  it('follows child and descendant steps from the hierarchy root', () => {
    expect(
      texts('/hierarchy/android.widget.FrameLayout/android.widget.LinearLayout/android.widget.TextView'),
    ).toEqual(['Agree']);
    expect(texts("//android.widget.LinearLayout[@resource-id='p:id/list']//android.widget.Button")).toEqual([
      '同意并继续',
      '不同意',
    ]);
    expect(texts('/hierarchy/android.widget.Button')).toEqual([]);
  });

  it('rejects expressions outside the subset with their position', () => {
    expect(() => compileXPath("//*[@text='x'")).toThrow(InputError);
    expect(() => compileXPath('//*[last()]')).toThrow(
      /xpath '\/\/\*\[last\(\)\]' at 5: expected @attribute or text\(\)/,
    );
  });

  it('escapes hostile text in the page source', () => {
    expect(escapeXml('a<b>&"\'\u0001\n')).toBe('a&lt;b&gt;&amp;&quot;&apos;&#10;');
    const src = pageSourceXml(
      hierarchyOf(
        {
          packageName: 'p',
          activity: 'A',
          root: uiNode('android.widget.TextView', 'p', { text: '"/><script>', bounds: b(0) }),
        },
        10,
        10,
      ),
    );
    expect(src).toContain('text="&quot;/&gt;&lt;script&gt;"');
    expect(src).not.toContain('<script>');
  });
});
