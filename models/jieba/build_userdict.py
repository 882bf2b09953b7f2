#!/usr/bin/env python3
"""Build models/jieba/userdict.txt, the user dictionary of the Chinese segmenter.

    .venv/bin/python models/jieba/build_userdict.py          # rewrite userdict.txt
    .venv/bin/python models/jieba/build_userdict.py --check  # exit 1 if it is stale

The dictionary is committed data; this script is how it is made, and re-running
it gives the same file byte for byte (sorted, no timestamps).  Words come from
two places:

1. the curated lists below (formation words, ranks and posts, transliterated
   names of people and places; all in Simplified, because the segmenter sees the
   text after OpenCC t2s);
2. every Chinese string in `models/kb/*.json`, if those files exist: any string
   value made only of Han characters (and "·"), 2 to 12 characters long,
   converted to Simplified; strings with 第 (numbered units such as
   第二突击集团军) are left out so that numbers stay separate tokens, and names
   written with "·" are added part by part (jieba never matches across "·";
   the segmenter joins such names itself).  The tag
   comes from the file name (people -> nr, places -> ns, formations -> nt, else nz).

Line format (jieba's): `word freq tag`.  The frequency is the category's base
frequency, raised to jieba's own `suggest_freq` (the count that keeps the word
whole against the default dictionary) and to the word's existing count.  Names
of two characters get no base frequency, so that they stay whole on their own
but do not break ordinary words (这里加强 must stay 这里/加强, not 这/里加/强).  Lines
starting with '#' are comments; `pipeline.lang.zh.read_userdict` skips them.
"""
from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
OUT = HERE / "userdict.txt"
KB = REPO / "models" / "kb"

BASE_FREQ = {"nt": 3000, "n": 2000, "nr": 2000, "ns": 2000, "nz": 1000}

# --------------------------------------------------------------------------- curated
FORMATIONS = """
集团军 方面军 集团军群 军团 兵团 师团 旅团 联队 大队 集群 战斗群 战役集群 快速兵团
坦克集团军 近卫坦克集团军 突击集团军 装甲集团军 装甲集团军群 航空集团军 空军集团军 野战集团军
近卫集团军 近卫军 近卫 近卫骑兵军 近卫步兵军 近卫步兵师 近卫坦克军 近卫机械化军 近卫骑兵师
骑兵军 骑兵师 骑兵旅 骑兵团 骑兵集群 骑兵机械化集群 骑机集群 骑兵步兵集群 突击集群
机械化军 机械化旅 机械化师 摩托化军 摩托化师 摩托化旅 摩托化步兵师 摩托化步兵旅
坦克军 坦克师 坦克旅 坦克团 坦克营 步兵军 步兵师 步兵旅 步兵团 步兵营 步枪师
装甲军 装甲师 装甲旅 装甲团 装甲掷弹兵师 掷弹兵师 装甲教导师 山地军 山地师 猎兵师
空降军 空降旅 空降师 伞兵师 滑雪旅 滑雪营 滑雪步兵旅 炮兵师 炮兵旅 炮兵团 航空队
战车军团 战车军 战车师 战车师团 战车旅 装甲军团
党卫军 武装党卫队 国防军 红军 工农红军 最高统帅部 统帅部大本营 大本营 陆军总司令部
中央方面军 西方方面军 西南方面军 南方方面军 北方方面军 西北方面军 加里宁方面军 布良斯克方面军
沃罗涅日方面军 顿河方面军 斯大林格勒方面军 草原方面军 预备队方面军 沃尔霍夫方面军 列宁格勒方面军
北高加索方面军 外高加索方面军 卡累利阿方面军 波罗的海沿岸方面军
中央集团军群 北方集团军群 南方集团军群 顿河集团军群 俄罗斯解放军
"""

RANKS = """
元帅 大元帅 苏联元帅 陆军元帅 炮兵元帅 空军元帅 装甲兵元帅 坦克兵元帅 帝国元帅
大将 上将 中将 少将 准将 上校 中校 少校 大尉 上尉 中尉 少尉 准尉
一级上将 二级上将 大将军
装甲兵上将 步兵上将 骑兵上将 炮兵上将 山地兵上将 航空兵上将 坦克兵上将 坦克兵中将 坦克兵少将
骑兵中将 骑兵少将 炮兵中将 炮兵少将 航空兵中将 航空兵少将
党卫队全国领袖 党卫队上级集团领袖 党卫队全国总指挥 党卫队地区总队长 党卫队旅队长 党卫队区队长 党卫队旗队长
旗队长 区队长 旅队长 突击队大队长 地区总队长
司令员 司令官 总司令 副司令员 参谋长 政治委员 政委 军事委员 军长 师长 旅长 团长 营长
"""

PEOPLE = """
斯大林 朱可夫 罗科索夫斯基 科涅夫 华西列夫斯基 铁木辛哥 布琼尼 伏罗希洛夫 沙波什尼科夫 安东诺夫
瓦图京 叶廖缅科 马利诺夫斯基 托尔布欣 戈沃罗夫 梅列茨科夫 巴格拉米扬 切尔尼亚霍夫斯基 索科洛夫斯基
戈利科夫 库兹涅佐夫 弗拉索夫 叶夫列莫夫 别洛夫 卡图科夫 罗特米斯特罗夫 雷巴尔科 列柳申科 崔可夫
巴托夫 普利耶夫 克留科夫 赫留金 塔拉索夫 加拉宁 霍津 马斯连尼科夫 什韦佐夫 扎哈罗夫 罗曼年科
莫斯卡连科 鲁坚科 诺维科夫 戈尔多夫 波波夫 普尔卡耶夫 西瓦科夫 日丹诺夫 赫鲁晓夫 贝利亚 莫洛托夫
希特勒 莫德尔 古德里安 古德林 曼施坦因 曼斯坦 隆美尔 伦德施泰特 博克 包克 克鲁格 霍特 霍斯
保卢斯 包路斯 魏克斯 屈希勒尔 基希纳 布施 舍尔纳 哈尔德 蔡茨勒 凯特尔 约德尔 赖因哈特 莱茵哈特
海因里希 施密特 鲁奥夫 施特劳斯 勒布 李斯特 克莱斯特 霍夫曼 派佩尔 豪塞尔 迪特里希 曼陀菲尔
希姆莱 戈林 邓尼茨
"""

PLACES = """
莫斯科 斯大林格勒 列宁格勒 库尔斯克 奥廖尔 布良斯克 谢夫斯克 德米特里耶夫 利戈夫 雷利斯克
维亚济马 维亚兹马 勒热夫 尔热夫 尤赫诺夫 卡卢加 苏希尼奇 大卢基 维利基卢基 斯摩棱斯克
维捷布斯克 维切布斯克 博布鲁伊斯克 明斯克 基辅 哈尔科夫 别尔哥罗德 沃罗涅日 罗斯托夫
塞瓦斯托波尔 克里米亚 高加索 乌克兰 白俄罗斯 伏尔加河 顿河 第聂伯河 杰斯纳河 谢伊姆河
奥列尼诺 别雷 霍尔姆 托罗佩茨 加里宁 姆岑斯克 莫扎伊斯克 日兹德拉 苏梅 法捷日 格卢霍夫
诺夫哥罗德 普罗霍罗夫卡 奥博扬 瓦卢伊基 库皮扬斯克 伊久姆 巴尔文科沃 顿巴斯 梅利托波尔
扎波罗热 巴拉诺维奇 斯卢茨克 莫洛杰奇诺 杰米多夫 图拉 梁赞 坦波夫 萨拉托夫 古比雪夫 高尔基
"""

CURATED = {"nt": FORMATIONS, "n": RANKS, "nr": PEOPLE, "ns": PLACES}
KB_TAGS = {"people": "nr", "persons": "nr", "places": "ns", "formations": "nt", "units": "nt"}

_HAN_WORD = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff·]{2,12}$")


def kb_words() -> dict[str, str]:
    """Chinese strings of models/kb/*.json (Simplified), word -> tag."""
    from pipeline.lang import zh

    out: dict[str, str] = {}
    if not KB.is_dir():
        return out
    for path in sorted(KB.glob("*.json")):
        tag = next((t for k, t in KB_TAGS.items() if k in path.stem.lower()), "nz")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as e:
            print(f"skipping {path.name}: {e}", file=sys.stderr)
            continue

        def walk(node, key=""):
            if isinstance(node, dict):
                for k, v in node.items():
                    if not str(k).startswith("_"):
                        walk(v, str(k))
            elif isinstance(node, list):
                for v in node:
                    walk(v, key)
            elif isinstance(node, str):
                w = node.strip()
                if _HAN_WORD.match(w) and "第" not in w:
                    # jieba never matches across "·" (the segmenter joins such names
                    # itself): add the parts of 康斯坦丁·罗科索夫斯基 one by one
                    for part in zh.normalize(w).text.split("·"):
                        if len(part) >= 2:
                            out.setdefault(part, tag)

        walk(data)
    return out


def build() -> str:
    sys.path.insert(0, str(REPO))
    import jieba

    jieba.setLogLevel(logging.WARNING)
    from pipeline.lang import zh

    tok = jieba.Tokenizer()
    tok.tmp_dir = str(zh.cache_dir())
    tok.initialize()

    words: dict[str, str] = {}
    for tag, block in CURATED.items():
        for w in block.split():
            words.setdefault(w, tag)
    curated = set(words)
    from_kb = {w: t for w, t in kb_words().items() if w not in words}
    words.update(from_kb)

    def line(w: str, tag: str) -> str:
        # two-character names (伊万, 里加, 克林) get no base frequency: enough to stay
        # whole on their own, not enough to break ordinary words (这里/加强)
        base = 0 if len(w) <= 2 and tag in ("nr", "ns", "nz") else BASE_FREQ[tag]
        freq = max(base, tok.FREQ.get(w, 0) or 0, tok.suggest_freq(w, False))
        return f"{w} {freq} {tag}"

    out = ["# muster: jieba user dictionary (Simplified; the segmenter sees text after OpenCC t2s).",
           "# Generated by models/jieba/build_userdict.py; edit the lists there, then re-run it.",
           "# Format: word freq tag.", ""]
    for tag, title in (("nt", "formations and organisations"), ("n", "ranks and posts"),
                       ("nr", "people"), ("ns", "places")):
        out.append(f"# curated: {title}")
        out += [line(w, t) for w, t in sorted(words.items()) if t == tag and w in curated]
        out.append("")
    out.append(f"# from models/kb/*.json ({len(from_kb)} words)")
    out += [line(w, t) for w, t in sorted(from_kb.items())]
    return "\n".join(out) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if userdict.txt is not up to date")
    args = ap.parse_args(argv)
    text = build()
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print("models/jieba/userdict.txt is stale: run models/jieba/build_userdict.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(REPO)}: {sum(1 for l in text.splitlines() if l and not l.startswith('#'))} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
