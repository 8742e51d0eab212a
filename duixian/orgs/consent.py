"""The personal-information notice (Personal Information Protection Law, art. 17) shown before registration or joining.

The text is versioned: a consent record names the version and the text's SHA-256, so what a
person agreed to can be proved later even after the wording changes. Change the version
whenever the text changes.

The Chinese text is what is recorded; English pages show its translation from the catalogue
(marked with `gettext_noop` for makemessages) and the Chinese text below it, quoted. A text
whose translation is missing is shown in Chinese.
"""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext_noop

CONSENT_VERSION = "2026-04-v1"

CONSENT_TEXT = gettext_noop("""个人信息处理告知书

安徽省科学技术厅（以下简称“我们”）运营通用人工智能政策兑现平台。依据《中华人民共和国个人信息保护法》，在您注册前告知如下：

一、处理者：安徽省科学技术厅；各市科技局（归口管理部门）在审核职责范围内处理本市申报单位的信息。
二、处理目的：核实申报单位身份与授权、受理和审核政策兑现申报、联系申报人、依法公示兑现结果。
三、处理的个人信息：您的姓名、用户名、手机号码或联系电话；单位法定代表人姓名；您上传的授权书中的个人信息；您在平台上的操作记录（含 IP 地址）。
四、处理方式与保存期限：信息保存于政务云平台，仅经授权的工作人员可访问；申报材料及操作记录按政府信息与档案管理规定保存，期满后删除或匿名化。公示时联系电话仅显示后四位。
五、对外提供：除法律、行政法规规定或为审核拨付所必需（如各市科技局、评审专家、财政部门），我们不向第三方提供您的个人信息。
六、您的权利：您可查阅、复制、更正您的个人信息，或撤回同意、注销账号；撤回同意不影响此前已进行的处理，但可能导致无法继续申报。请联系本单位经办人或归口管理部门办理。
七、联系方式：省科技厅人工智能处 0551-62626995/62674421。

点击“同意并注册”即表示您已阅读并同意上述处理。""")


def consent_sha256(text: str = CONSENT_TEXT) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
