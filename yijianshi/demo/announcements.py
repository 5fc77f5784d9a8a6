"""The demo's 通知公告: what a city's portal says on its home page. Loading twice changes nothing."""

from yijianshi.catalog.models import Announcement

ANNOUNCEMENTS = [
    {
        "title": "“高效办成一件事”第一批 13 个一件事全面上线",
        "body": "新生儿出生、开办餐饮店、退休等第一批一件事已全部上线。\n\n"
        "一次告知、一表申请、一套材料、一窗受理、一网办理，可在网上、政务服务中心综合窗口或自助终端办理。",
        "pinned": True,
    },
    {
        "title": "政务服务中心综合窗口延时服务和周末服务安排",
        "body": "工作日 12:00—14:00、17:00—19:00 延时服务，周六上午 9:00—12:00 提供综合窗口和帮办代办服务。\n\n"
        "网上办事不受时间限制，结果可选择免费邮寄。",
        "pinned": False,
    },
    {
        "title": "告知承诺制和容缺受理办事指引",
        "body": "食品经营许可等事项实行告知承诺制。申请人签署承诺书后可以承诺代替部分证明材料，次要材料可容缺后补。\n\n"
        "承诺不实的，将撤销审批决定并记入信用记录。",
        "pinned": False,
    },
]


def load_announcements() -> None:
    for announcement in ANNOUNCEMENTS:
        Announcement.objects.get_or_create(title=announcement["title"], defaults=announcement)
