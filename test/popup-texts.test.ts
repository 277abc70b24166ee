// The texts of what the app shows — notification titles and texts, toast texts, dialog titles,
// messages and button labels — travel from the agent's popup summarisers (real simulator agent,
// app model on the simulated device) into the stored events, the deceptive-download and
// popup-harassment evidence and the report's "screen at that moment"; numbers of 7+ digits in
// them are redacted on the device.
import { beforeAll, describe, expect, it } from 'vitest';
import { SUMMARIZERS } from '../agent/hooks/summarizers.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { toJava } from '../harness/simulation/runtime/sample-objects.ts';
import { renderHtml } from '../reports/html/render.ts';
import { renderMarkdown } from '../reports/markdown.ts';
import { buildReportModel } from '../reports/model.ts';
import { model, runModel, START } from './fixtures/miit/run-model.ts';

let agent = '';
beforeAll(async () => {
  agent = (await buildFreshBundles()).sim;
}, 120_000);

const notify = (id: number, title: string, text: string) => `
              - api: android.app.NotificationManager.notify
                overload: [int, android.app.Notification]
                args: [${id}, { $class: android.app.Notification, $fields: { tickerText: null, extras: { $class: android.os.Bundle, $fields: { android.title: "${title}", android.text: "${text}" } } } }]
                from: app`;

const HOME = `      - text: 刷新
        id: btn_refresh
        on-tap:
          calls:${notify(1, '今日推荐', '新游上线')}
                times: 4
      - text: 签到
        id: btn_sign
        on-tap:
          calls:${notify(7, '限时福利', '下载即领88元红包 客服 13812345678')}
              - api: android.widget.Toast.show
                self: { $class: android.widget.Toast, $fields: { mText: "签到成功<b>" } }
                from: app
          dialog:
            title: 恭喜
            message: 获得新手奖励
            buttons:
              - { text: 知道了 }
      - text: 继续
        id: btn_next
        on-tap:
          calls:
              - api: android.app.DownloadManager.enqueue
                args: [{ $class: "android.app.DownloadManager$Request", $fields: { mUri: { $class: android.net.Uri, $methods: { toString: "https://dl.example/hongbao.apk" } }, mMimeType: application/vnd.android.package-archive } }]
                result: 7
                from: app`;

const STEPS = `${START}  - tap: { text: 刷新 }
  - wait: 1s
  - tap: { text: 签到 }
  - wait: 1s
  - tap: { text: 知道了 }
  - wait: 1s
  - tap: { text: 继续 }
  - wait: 1s
`;

describe('texts of notifications, toasts and dialogs', () => {
  it('reach the stored events, the findings and the report, with 7+ digit numbers redacted', async () => {
    const popupArgs: Record<string, string[]> = {};
    let md = '';
    let html = '';
    const r = await runModel(agent, model({ home: HOME }), STEPS, undefined, (store, runId) => {
      const rows = store.db
        .prepare<[number], { kind: string; args: string | null }>(
          `SELECT c.name AS kind, sa.text AS args FROM events e JOIN categories c ON c.id = e.category_id
           LEFT JOIN summaries sa ON sa.id = e.args_id
           WHERE e.run_id = ? AND c.name IN ('notification', 'toast', 'dialog') ORDER BY e.time, e.id`,
        )
        .all(runId);
      for (const row of rows) popupArgs[row.kind] = [...(popupArgs[row.kind] ?? []), row.args ?? ''];
      const m = buildReportModel(store.db, runId);
      md = renderMarkdown(m);
      html = renderHtml(m);
    });

    // Stored events: one per call, with the texts the app passed.
    expect(popupArgs['notification']).toHaveLength(5);
    expect(popupArgs['notification']![0]).toBe('id=1 title="今日推荐" text="新游上线"');
    expect(popupArgs['notification']![4]).toBe(
      'id=7 title="限时福利" text="下载即领88元红包 客服 [redacted]"',
    );
    expect(popupArgs['toast']).toEqual(['text="签到成功<b>"']);
    // The consent dialog of the model, then the reward dialog (buttons: last = positive).
    expect(popupArgs['dialog']).toEqual([
      'android.app.AlertDialog title="用户协议与隐私政策" message="请阅读《隐私政策》" positive="同意" negative="不同意"',
      'android.app.AlertDialog title="恭喜" message="获得新手奖励" positive="知道了"',
    ]);

    // deceptive-download quotes what was shown before the download.
    const dd = r.of('deceptive-download');
    expect(dd).toHaveLength(1);
    expect(dd[0]!.detail).toContain(
      'Shown before: dialog title="恭喜" message="获得新手奖励" positive="知道了"; toast text="签到成功<b>"; notification title="限时福利" text="下载即领88元红包 客服 [redacted]".',
    );
    // popup-harassment: the notifications' texts (5 within 60 s, limit 3).
    const ph = r.of('popup-harassment').filter((f) => f.category === 'notification');
    expect(ph).toHaveLength(1);
    expect(ph[0]!.detail).toContain('Texts: notification title="今日推荐" text="新游上线"');

    // The report's "screen at that moment" of the download finding shows the notification's words.
    const ddBlock = md.slice(md.indexOf('deceptive-download'));
    const moment = ddBlock.split('\n').find((l) => l.startsWith('screen at that moment'));
    expect(moment).toContain('«notification title="限时福利" text="下载即领88元红包 客服 \\[redacted\\]"»');
    expect(md).not.toContain('13812345678');
    // The app's strings are escaped in the HTML report (the toast's markup stays text).
    expect(html).toContain('<span class="chip">toast text=&quot;签到成功&lt;b&gt;&quot;</span>');
    expect(html).not.toContain('签到成功<b>');
    expect(html).not.toContain('13812345678');
  }, 60_000);
});

describe('redaction of shown texts (on the device)', () => {
  const notification = (text: string) =>
    toJava({
      $class: 'android.app.Notification',
      $fields: {
        extras: { $class: 'android.os.Bundle', $fields: { 'android.title': '验证码', 'android.text': text } },
        tickerText: 'Mail ops@example.com',
      },
    });
  const summarise = (text: string) =>
    SUMMARIZERS.notification({
      args: [3, notification(text)],
      result: undefined,
      self: null,
      ownPackage: 'x',
    });

  it('redacts a 7-digit number and an e-mail address, keeps 6 digits', () => {
    expect(summarise('您的会员号 1234567 已激活')?.args).toBe(
      'id=3 title="验证码" text="您的会员号 [redacted] 已激活" ticker="Mail [redacted]"',
    );
    expect(summarise('验证码 123456')?.args).toContain('text="验证码 123456"');
  });

  it('bounds each text and quotes hostile characters', () => {
    const args = summarise(`"}<b>${'长'.repeat(500)}`)?.args ?? '';
    expect(args.length).toBeLessThanOrEqual(200);
    expect(args).toContain('text="\\"}<b>长长');
    expect(args).toContain('…"');
  });
});
