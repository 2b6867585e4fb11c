"""Demo content from the newsletter (金沢市協働通信 vol.9): its news, both EVENT INFO events, the standing
notice and the four groups' interviews, verbatim; plus a few sample upcoming events, marked 【サンプル】.

The groups themselves come from kyodo/groups/demo.py (loaded before this app); they are found by name."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from kyodo.community import search
from kyodo.community.models import Event, Feature, FeatureQA, NewsPost, SiteNotice
from kyodo.groups.models import Group

TOKYO = ZoneInfo("Asia/Tokyo")
# The issue is from autumn 2021 (its events are in October and November); the day is not printed.
ISSUE_DATE = dt.date(2021, 10, 1)

NEWS_LENDING_BODY = (
    "様々な利用をサポートします！相談の予約は右上の二次元コードからどうぞ。\n\n"
    "新型コロナウイルス感染症の拡大により、これまでの対面での活動が制限され、活動のオンライン化が大きく進んだ団体がある一方、オンライン会議等に必要な機材が揃えられない、などのお悩みも多く寄せられました。そこで、市民活動サポートセンターでは、活動のオンライン化を支援するため、オンライン会議の開催やイベント等のインターネット配信に必要な、WEBカメラやマイクスピーカー等の機材の貸出を開始しました。機材の設定や利用のアドバイスなど、コーディネーターによるサポートも行いますので、まずはお気軽にご相談ください！\n\n"
    "【お問い合わせ】\n\n"
    "金沢市市民活動サポートセンター（金沢学生のまち市民交流館1F）  \n☎ 076-225-7763 ⚡ support_center@city.kanazawa.lg.jp\n\n"
    "- 町会の総会をオンラインで開催したい\n"
    "- 講演会やイベントをオンラインで配信したい\n"
)
NEWS_STUDENTS = "第12期\n金沢まちづくり学生会議\n出発式を行いました！"
NEWS_CHALLENGE = "令和3年度\n協働のまちづくりチャレンジ事業\n2次審査\nオンラインにて実施しました！"
NOTICE = "※新型コロナウイルス感染拡大状況により、中止・延期となる場合があります。\nイベントのホームページ・SNSなどでご確認ください。"
FEATURE_TITLE = "コロナ禍における市民活動"
FEATURE_INTRO = "市民活動団体にお話を伺いました！"
# The printed text has a layout quirk in ようこそ産前産後ケア's section: after its Q2 answer it repeats
# シングルマザーの会's message ("ひとり親家庭への食糧支援…") under a first "Q3", then continues with a paragraph
# that answers Q2 ("…コロナ禍でも続けられる強みは、その想いです。"), then prints Q3 again with its real answer.
# We keep every answer verbatim as printed, but attribute them sensibly: the stray paragraph stays with
# シングルマザーの会 only (its Q2, printed there too), the "ただただ…" paragraph joins ようこそ's Q2 answer,
# and ようこそ's Q3 is the answer printed under the second Q3. シングルマザーの会 was asked two questions, and
# its second is printed as "Q2" with the Q3 wording; we keep that as printed.
INTERVIEWS = {
    "Finding ゴミ": [
        (
            1,
            "コロナ禍での現在の活動状況はどのようになっていますか？",
            "感染症対策を行なながら、イベントベースでゴミ拾いを行ったり、地域で行われている清掃活動に参加したりしています。新年度に入り、新たにメンバーが4名増えたので、メンバー間での交流・会話を中心に楽しく活動を行っています。各メンバー、やりたいことで溢っていて、イベント企画が追い付いていないという嬉しい悩みを抱えています。",
        ),
        (
            2,
            "コロナ禍においても活動を続けられる強みは何ですか？",
            "少人数でも活動が成立するため人数制限を設けたり、オンラインのイベントに変更したりと、柔軟な対応ができることが強みだと思っています。また、ゴミ拾いは密になることなく屋外で活動ができるので、コロナの影響を強く受けることなく活動ができていると考えます。「学生だからこそできること」、『コロナ禍でもできること』を学生のうちにやりまくりたい！」という思いでいます。",
        ),
        (
            3,
            "他団体に紹介したい取組みや伝えたいメッセージをお願いします！",
            "ゴミ拾いをしていると、普段の生活では気づかないお店や裏道など、新たな発見があります。それがとっても楽しいです！ゴミ拾いが地味なイメージである時代はもう終わりました。私たちはゴミを拾うだけでなく、「ゴミ拾いを通じて地域のコミュニティ活性化」を目指しています。",
        ),
    ],
    "シングルマザーの会": [
        (
            1,
            "コロナ禍での現在の活動状況はどのようになっていますか？",
            "対面での交流会を開催しづらくなっているため、イベント回数は減りました。",
        ),
        (
            2,
            "他団体に紹介したい取組みや伝えたいメッセージをお願いします！",
            "ひとり親家庭への食糧支援やイベント開催をしていきたいと考えています。連携のご提案をいただけると励みになります。よろしくお願いいたします。",
        ),
    ],
    "FIKA 金沢": [
        (
            1,
            "コロナ禍での現在の活動状況はどのようになっていますか？",
            "会員が集まって活動はしていませんが、一人一人ができる範囲で自主的に会の目的である「金沢在住の外国人との交流」を地道に行っています。金沢国際交流財団から紹介があるものについては積極的に参加するようにしています。",
        ),
        (
            2,
            "コロナ禍においても活動を続けられる強みは何ですか？",
            "コロナ禍で時間がある中、伝統文化等の習得にむけて新しいチャレンジにも挑戦するなど、次につながる良い機会だと思うようにしています。",
        ),
        (
            3,
            "他団体に紹介したい取組みや伝えたいメッセージをお願いします！",
            "コロナ禍で交流活動がままならなくても、コロナ禍でもできることができる範囲で実施し、今までのつながりを切らないように細く長く継続していくことに重きを置いています。",
        ),
    ],
    "ようこそ産前産後ケア～パパママ学級～": [
        (
            1,
            "コロナ禍での現在の活動状況はどのようになっていますか？",
            "参加人数を最大6名と人数制限をしています。令和3年度はオンラインクラスも導入しました。月に1～2回のペースで産後ケアクラスを開催していますが、毎回満席状態です。産後ケアを求めているママやパパは本当にたくさんいるんです。",
        ),
        (
            2,
            "コロナ禍においても活動を続けられる強みは何ですか？",
            "コロナ禍において、産後女性の孤立化がさらに進んでおり、産後うつになる女性がこれまでの2倍に増えているという研究調査もでています。何も対策をしなければ、自殺、虐待などの大きな問題は増える一方であり、今後、少子化もどんどん加速する可能性も考えられます。コロナ禍だからこそ（コロナ禍でなくとも）、産後女性の社会を作り、人と人が関わる場所を作り、体と心をケアする機会を作る、そんな産後ケアを充実する必要があります。出産後の母親に対するケアを充実させることで、きっと素晴らしい未来が待っています。\n\nただただ、ママたちが心からの笑顔で過ごしてほしい！コロナ禍になってからその想いは一層強くなりました。コロナ禍でも続けられる強みは、その想いです。",
        ),
        (
            3,
            "他団体に紹介したい取組みや伝えたいメッセージをお願いします！",
            "昨年度から満席状態が続いているため、今年度もそうなることが予想されます。今年度は、産後ケアを受けたくても受けられないママやパパのために産後ケアのパンフレットを作成しました。産後ケアとは何なのか、どんなことをするのかが記載されています。ぜひ手に取ってみてくださいね。産後のママやパパだけでなく、高校生や大学生など、これから親になりうる世代の方、子育て終了世代の方、おじいちゃんやおばあちゃんにも、ぜひ産後ケアに触れてほしいなと思います。",
        ),
    ],
}


NOTICE_EN = (
    "* Events may be cancelled or postponed depending on the spread of COVID-19. "
    "Please check each event's website or social media."
)


def _at(day, hour=9):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TOKYO)


def _news():
    posts = [
        ("機材貸出サービスを開始しました！", "Equipment lending service started", NEWS_LENDING_BODY, True),
        ("第12期 金沢まちづくり学生会議 出発式を行いました！", "The 12th Kanazawa Student Council for Town Development held its launch ceremony", NEWS_STUDENTS, False),
        ("令和3年度 協働のまちづくりチャレンジ事業 2次審査 オンラインにて実施しました！", "FY2021 Collaborative Town Development Challenge: second screening held online", NEWS_CHALLENGE, False),
    ]  # fmt: skip
    for title, title_en, body, pinned in posts:
        NewsPost.objects.get_or_create(
            title=title,
            defaults={"title_en": title_en, "body": body, "pinned": pinned, "publish_at": _at(ISSUE_DATE)},
        )


NEWSLETTER_EVENTS = [
    {
        "title": "まちなか学生まつり", "title_en": "Machinaka Student Festival", "title_kana": "マチナカガクセイマツリ",
        "category": Event.Category.FESTIVAL, "start_date": dt.date(2021, 10, 23), "end_date": dt.date(2021, 10, 23),
        "venue_name": "木倉町広場", "venue_address": "石川県金沢市木倉町",
        "organizer_name": "金沢まちづくり学生会議",
        # The newsletter says "公式インスタグラムをチェック！" but prints no address; rather than guess the
        # account's handle we link the council's official site, which links its Instagram.
        "url_official": "https://km-gakuseikaigi.jp/",
        "note": "金沢まちづくり学生会議 公式インスタグラムをチェック！",
    },
    {
        "title": "Civic Tech Summit KANAZAWA 2021", "title_en": "Civic Tech Summit KANAZAWA 2021",
        "title_kana": "シビックテックサミットカナザワ2021", "category": Event.Category.LECTURE,
        "start_date": dt.date(2021, 11, 13), "end_date": dt.date(2021, 11, 13),
        "venue_name": "金沢未来のまち創造館", "venue_address": "石川県金沢市",
        "url_city": "https://www4.city.kanazawa.lg.jp/",
        "note": "金沢市公式ホームページをチェック！",
    },
]  # fmt: skip


def _sample_events(today):
    sample_group = Group.objects.filter(name="サンプル学生サークル（デモ）").first()
    center = "金沢市市民活動サポートセンター（サンプル会場）"
    return [
        {
            "title": "【サンプル】オンライン配信体験会", "title_en": "[Sample] Try live streaming",
            "title_kana": "オンラインハイシンタイケンカイ", "category": Event.Category.WORKSHOP,
            "start_date": today + dt.timedelta(days=12), "end_date": today + dt.timedelta(days=12),
            "start_time": dt.time(14), "end_time": dt.time(16), "venue_name": center,
            "venue_address": "金沢市（サンプル住所）", "group": sample_group, "fee_basic": "無料",
            "capacity": 10, "how_to_apply": "メールでお申し込みください（サンプル）。",
            "apply_by_date": today + dt.timedelta(days=9), "contact_name": "サンプル学生サークル",
            "contact_phone": "076-000-0000", "description": "これはデモ用のサンプルイベントです。",
        },
        {
            "title": "【サンプル】町会のためのオンライン総会入門", "title_en": "[Sample] Online general meetings for neighbourhood associations",
            "category": Event.Category.LECTURE, "start_date": today + dt.timedelta(days=20),
            "end_date": today + dt.timedelta(days=20), "start_time": dt.time(10), "end_time": dt.time(12),
            "venue_name": center, "organizer_name": "市民活動サポートセンター（サンプル）",
            "status": Event.Status.POSTPONED, "postponed_to": today + dt.timedelta(days=41),
            "description": "これはデモ用のサンプルイベントです（延期の表示例）。",
        },
        {
            "title": "【サンプル】ボランティア清掃デー", "title_en": "[Sample] Volunteer clean-up day",
            "category": Event.Category.VOLUNTEER, "start_date": today + dt.timedelta(days=27),
            "end_date": today + dt.timedelta(days=27), "venue_name": "金沢市内（サンプル）",
            "organizer_name": "サンプル実行委員会", "status": Event.Status.CANCELLED,
            "description": "これはデモ用のサンプルイベントです（中止の表示例）。",
        },
    ]  # fmt: skip


def _events(today):
    now = timezone.now()
    for data in NEWSLETTER_EVENTS:
        Event.objects.get_or_create(
            title=data["title"], start_date=data["start_date"],
            defaults={**data, "state": Event.State.PUBLISHED, "published_at": now},
        )  # fmt: skip
    for data in _sample_events(today):
        # Keyed by title only, so loading again on another day adds nothing.
        Event.objects.get_or_create(
            title=data["title"], defaults={**data, "state": Event.State.PUBLISHED, "published_at": now}
        )


def _features():
    for name, answers in INTERVIEWS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        feature, created = Feature.objects.get_or_create(
            group=group,
            title=FEATURE_TITLE,
            defaults={"intro": FEATURE_INTRO, "published": True, "published_on": ISSUE_DATE},
        )
        if created:
            for order, question, answer in answers:
                FeatureQA.objects.create(feature=feature, order=order, question=question, answer=answer)


def load(today=None):
    today = today or timezone.localdate()
    SiteNotice.objects.get_or_create(key="events", defaults={"text": NOTICE, "text_en": NOTICE_EN})
    _news()
    _events(today)
    _features()
    search.rebuild()
    return {}
